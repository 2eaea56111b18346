import { endpointHost, endpointPort, formatEndpoint } from '../flows/endpoints.js';
import type { IcmpError } from '../flows/build-flows.js';
import type { TcpConnection } from '../flows/tcp-connection.js';
import { makeFinding } from '../findings/finding.js';
import { message } from '../findings/messages.js';
import { defineCheck, groupBy } from './check.js';
import { quotes } from './tcp-transfer.js';

const server = (c: TcpConnection) => formatEndpoint(c.responder);

/** An ICMP / ICMPv6 destination unreachable (not "fragmentation needed") quoting the connection's SYN: refused by a filter or a router. */
function icmpRefusal(c: TcpConnection, icmpErrors: readonly IcmpError[]): IcmpError | undefined {
  if (c.resp.packets > 0 || c.orig.synFrame === 0) return undefined;
  return icmpErrors.find((e) => ((e.version === 4 && e.type === 3 && e.code !== 4) || (e.version === 6 && e.type === 1)) && e.proto === 6 && quotes(e, c.origin.ip, c.origin.port, c.responder.ip, c.responder.port));
}

/** SYNs with no SYN-ACK, RST or ICMP answer, per server:port. */
export const synUnanswered = defineCheck({
  code: 'tcp.syn_unanswered',
  description: 'SYNs retransmitted with no answer, per server:port',
  run: ({ tcp, icmpErrors }) =>
    [...groupBy(tcp.filter((c) => c.state === 'S0' && c.resp.packets === 0 && icmpRefusal(c, icmpErrors) === undefined), server)].map(([srv, conns]) => {
      const attempts = conns.reduce((n, c) => n + 1 + c.synRetransmits, 0);
      const waitMs = Math.max(...conns.map((c) => (c.endNs - c.startNs) / 1e6));
      return makeFinding('tcp.syn_unanswered', {
        message: message('tcp.syn_unanswered', { connections: conns.length, server: srv, syns: attempts, waitMs: Math.round(waitMs) }),
        frames: conns.map((c) => c.firstFrame),
        frameCount: attempts,
        flow: { server: srv },
        metrics: { attempts, connections: conns.length, waitMs: Math.round(waitMs) },
        confidence: conns.some((c) => c.synRetransmits > 0) ? 0.95 : 0.6,
      });
    }),
});

/** SYN answered by RST (connection refused), per server:port. */
export const synRejected = defineCheck({
  code: 'tcp.syn_rejected',
  description: 'SYN answered by RST or by an ICMP unreachable',
  run: ({ tcp, icmpErrors }) => [
    ...[...groupBy(tcp.filter((c) => c.state === 'REJ'), server)].map(([srv, conns]) =>
      makeFinding('tcp.syn_rejected', {
        message: message('tcp.syn_rejected.reset', { connections: conns.length, server: srv }),
        frames: conns.flatMap((c) => [c.firstFrame, c.resp.rstFrame]).filter((f) => f > 0),
        frameCount: conns.length,
        flow: { server: srv },
        metrics: { refused: conns.length },
      }),
    ),
    // Refused on the way: a firewall's reject rule or a router answers the SYN with ICMP.
    ...[...groupBy(tcp.filter((c) => icmpRefusal(c, icmpErrors) !== undefined), server)].map(([srv, conns]) => {
      const e = icmpRefusal(conns[0], icmpErrors) as IcmpError;
      return makeFinding('tcp.syn_rejected', {
        message: message('tcp.syn_rejected.icmp', { connections: conns.length, server: srv, host: endpointHost(srv), port: endpointPort(srv), from: e.from, ipv6: e.version === 6, icmpType: e.type, icmpCode: e.code, frame: e.frame, atServer: e.from === endpointHost(srv) }),
        frames: conns.flatMap((c) => [c.orig.synFrame, icmpRefusal(c, icmpErrors)?.frame ?? 0]).filter((f) => f > 0),
        frameCount: conns.length,
        flow: { server: srv },
        metrics: { refused: conns.length, icmpType: e.type, icmpCode: e.code },
      });
    }),
  ],
});

/** Connections that opened only after SYN retransmissions: report the delay. */
export const synRetransmitDelay = defineCheck({
  code: 'tcp.syn_retransmit_delay',
  description: 'a connection established only after SYN retransmissions',
  run: ({ tcp }) =>
    [...groupBy(tcp.filter((c) => c.synRetransmits > 0 && c.synAckNs >= 0), server)].map(([srv, conns]) => {
      const delays = conns.map((c) => (c.synAckNs - c.synNs) / 1e6);
      const worst = Math.max(...delays);
      return makeFinding('tcp.syn_retransmit_delay', {
        message: message('tcp.syn_retransmit_delay', { connections: conns.length, server: srv, worstMs: Math.round(worst) }),
        frames: conns.map((c) => c.orig.synFrame),
        flow: { server: srv },
        metrics: { connections: conns.length, worstDelayMs: Math.round(worst) },
      });
    }),
});
