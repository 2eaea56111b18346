import { formatEndpoint } from '../flows/endpoints.js';
import type { TcpConnection } from '../flows/tcp-connection.js';
import { makeFinding } from '../findings/finding.js';
import { message } from '../findings/messages.js';
import { defineCheck, groupBy } from './check.js';

/** Time from a request's first byte to the response's first byte, for HTTP exchanges or the first exchange of any connection. */
function firstResponseMs(c: TcpConnection): { ms: number; frame: number } | null {
  const x = c.http?.exchanges[0];
  if (x !== undefined && x.responseNs >= 0) return { ms: (x.responseNs - x.requestNs) / 1e6, frame: x.responseFrame };
  return null;
}

/** The first request to a server answered far slower than later ones (a cold start, a lookup, a login). */
export const firstRequestPenalty = defineCheck({
  code: 'app.first_request_penalty',
  description: 'the first request to a server is much slower than later ones',
  run: ({ tcp, thresholds }) =>
    [...groupBy(tcp.filter((c) => firstResponseMs(c) !== null), (c) => formatEndpoint(c.responder))].flatMap(([server, conns]) => {
      if (conns.length < 2) return [];
      const times = conns.map((c) => firstResponseMs(c) as { ms: number; frame: number });
      const later = times.slice(1).map((t) => t.ms).sort((a, b) => a - b);
      const typical = later[Math.floor(later.length / 2)];
      const first = times[0];
      if (first.ms < thresholds.firstRequestFactor * typical || first.ms - typical < 1000) return [];
      return [
        makeFinding('app.first_request_penalty', {
          message: message('app.first_request_penalty', { server, firstMs: Math.round(first.ms), typicalMs: Math.round(typical) }),
          frames: [conns[0].firstFrame, first.frame],
          flow: { server },
          metrics: { firstMs: Math.round(first.ms), typicalMs: Math.round(typical) },
        }),
      ];
    }),
});

/** The server acknowledges the request at once but answers much later: time spent in the application. */
export const serverThinkTime = defineCheck({
  code: 'app.server_think_time',
  description: 'the server takes long between request and response while the network is fast',
  run: ({ tcp, thresholds }) =>
    tcp.flatMap((c) => {
      const slow = (c.http?.exchanges ?? []).filter((x) => x.responseNs >= 0 && (x.responseNs - x.requestNs) / 1e6 > thresholds.httpSlowMs);
      const rttMs = c.synNs >= 0 && c.handshakeAckNs >= 0 ? (c.handshakeAckNs - c.synNs) / 1e6 : -1;
      if (slow.length === 0 || rttMs < 0 || rttMs > 200) return [];
      const worst = Math.max(...slow.map((x) => (x.responseNs - x.requestNs) / 1e6));
      return [
        makeFinding('app.server_think_time', {
          message: message('app.server_think_time', { server: formatEndpoint(c.responder), rttMs, worstMs: Math.round(worst), requests: slow.map((x) => `${x.method} ${x.uri}`).slice(0, 3) }),
          frames: slow.flatMap((x) => [x.requestFrame, x.responseFrame]),
          flow: { server: formatEndpoint(c.responder) },
          metrics: { worstMs: Math.round(worst), rttMs: Math.round(rttMs * 10) / 10 },
        }),
      ];
    }),
});
