import { THRESHOLDS } from '../checks/thresholds.js';
import { stopPointOf } from '../flows/stop-point.js';
import type { NameTransaction } from '../flows/dns-transactions.js';
import type { FlowEngine } from '../flows/build-flows.js';
import type { SemanticCounts } from '../flows/semantic-view.js';
import type { SideStats, TcpConnection } from '../flows/tcp-connection.js';
import { tlsVersionName } from '../decode/tls.js';
import { formatEndpoint } from '../flows/endpoints.js';
import type { UdpFlow } from '../flows/udp-flow.js';
import type { FlowSummary, HttpExchangeSummary, SideSummary, TlsSession, Vantage } from './analysis-types.js';

/** How many flows and exchanges a report lists, beside every notable one. */
export const TOP_FLOWS = 100;

const PROBLEM_STATES = new Set(['S0', 'REJ', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR']);
const SEMANTIC_PROBLEMS: (keyof SemanticCounts)[] = ['retransmissions', 'fastRetransmissions', 'lostSegments', 'zeroWindows', 'zeroWindowProbes', 'duplicateFrames', 'outOfOrder', 'ackedUnseen'];

export function summarizeTcp(c: TcpConnection, stallMs: number = THRESHOLDS.rtoStallMs): FlowSummary {
  const analysis: Partial<SemanticCounts> = {};
  for (const [k, v] of Object.entries(c.semantic) as [keyof SemanticCounts, number][]) if (v > 0) analysis[k] = v;
  const closeBy = firstOf(c.orig, c.resp);
  const notable = PROBLEM_STATES.has(c.state) || c.portReuse || SEMANTIC_PROBLEMS.some((k) => c.semantic[k] > 0) || c.synRetransmits > 0 || (c.tls?.alerts.length ?? 0) > 0;
  return {
    id: c.id,
    proto: 'tcp',
    app: c.app ?? 'tcp',
    orig: formatEndpoint(c.origin),
    resp: formatEndpoint(c.responder),
    state: c.state,
    history: c.history.text,
    firstFrame: c.firstFrame,
    lastFrame: c.lastFrame,
    startMs: c.startNs / 1e6,
    durationMs: (c.endNs - c.startNs) / 1e6,
    origSide: side(c.orig),
    respSide: side(c.resp),
    handshake: {
      synToSynAckMs: c.synNs >= 0 && c.synAckNs >= 0 ? (c.synAckNs - c.synNs) / 1e6 : -1,
      synAckToAckMs: c.synAckNs >= 0 && c.handshakeAckNs >= 0 ? (c.handshakeAckNs - c.synAckNs) / 1e6 : -1,
      initialRttMs: c.analyzer.initialRttNs >= 0 ? c.analyzer.initialRttNs / 1e6 : -1,
      synRetransmits: c.synRetransmits,
    },
    ecn: { setupSyn: c.ecnSetupSyn, accepted: c.ecnAccepted },
    close: closeBy,
    stop: stopPointOf(c, stallMs),
    ...(c.portReuse ? { portReuse: true } : {}),
    ...(Object.keys(analysis).length > 0 ? { analysis } : {}),
    ...(c.evidence.size > 0 ? { evidence: Object.fromEntries(c.evidence) } : {}),
    notable,
  };
}

export function summarizeUdp(f: UdpFlow): FlowSummary {
  return {
    id: f.id,
    proto: 'udp',
    app: f.protocol,
    orig: formatEndpoint(f.origin),
    resp: formatEndpoint(f.responder),
    state: null,
    history: '',
    firstFrame: f.firstFrame,
    lastFrame: f.lastFrame,
    startMs: f.startNs / 1e6,
    durationMs: (f.endNs - f.startNs) / 1e6,
    origSide: { packets: f.origPackets, bytes: f.origBytes },
    respSide: { packets: f.respPackets, bytes: f.respBytes },
    notable: f.respPackets === 0 && f.origPackets > 1,
  };
}

function side(s: SideStats): SideSummary {
  return {
    packets: s.packets,
    bytes: s.payloadBytes,
    ttl: s.ttl,
    initialTtl: s.initialTtl,
    hops: s.ttl < 0 ? -1 : s.initialTtl - s.ttl,
    mss: s.mss,
    windowScale: s.windowScale,
    sackPermitted: s.sackPermitted,
    ecnMarks: { ect0: s.ect0, ect1: s.ect1, ce: s.ce },
  };
}

function firstOf(orig: SideStats, resp: SideStats): FlowSummary['close'] {
  const events: { by: 'orig' | 'resp'; how: 'fin' | 'rst'; frame: number }[] = [];
  if (orig.finFrame) events.push({ by: 'orig', how: 'fin', frame: orig.finFrame });
  if (orig.rstFrame) events.push({ by: 'orig', how: 'rst', frame: orig.rstFrame });
  if (resp.finFrame) events.push({ by: 'resp', how: 'fin', frame: resp.finFrame });
  if (resp.rstFrame) events.push({ by: 'resp', how: 'rst', frame: resp.rstFrame });
  events.sort((a, b) => a.frame - b.frame);
  return events[0] ?? { by: null, how: null, frame: 0 };
}

export function tlsSessions(engine: FlowEngine): TlsSession[] {
  const out: TlsSession[] = [];
  for (const c of engine.tcp) {
    const t = c.tls;
    if (t === null) continue;
    const close = firstOf(c.orig, c.resp);
    const lastData = Math.max(c.orig.lastDataNs, c.resp.lastDataNs);
    const closeNs = close?.by === 'orig' ? (close.how === 'fin' ? c.orig.finNs : c.orig.rstNs) : close?.by === 'resp' ? (close.how === 'fin' ? c.resp.finNs : c.resp.rstNs) : -1;
    out.push({
      flowId: c.id,
      client: formatEndpoint(c.origin),
      server: formatEndpoint(c.responder),
      sni: t.sni,
      offeredVersions: t.offeredVersions.filter((v) => (v & 0x0f0f) !== 0x0a0a).map(tlsVersionName),
      selectedVersion: t.selectedVersion ? tlsVersionName(t.selectedVersion) : null,
      alpnOffered: t.alpnOffered,
      alpnSelected: t.alpnSelected,
      cipherSuite: t.cipherSuite >= 0 ? t.cipherSuite : null,
      stage: t.stage,
      certificates: t.certificates,
      alerts: t.alerts,
      appDataBytes: t.appDataBytes,
      handshakeMs: t.clientHelloNs >= 0 && t.serverHelloNs >= 0 ? (t.serverHelloNs - t.clientHelloNs) / 1e6 : null,
      closedBy: close?.by === 'orig' ? 'client' : close?.by === 'resp' ? 'server' : null,
      closeHow: close?.how ?? null,
      closeAfterLastDataMs: closeNs >= 0 && lastData >= 0 ? (closeNs - lastData) / 1e6 : null,
      frames: t.frames,
      incomplete: t.incomplete,
      notable: t.alerts.length > 0 || t.stage !== 'application_data' || close?.how === 'rst',
    });
  }
  return out;
}

export function httpExchanges(engine: FlowEngine): HttpExchangeSummary[] {
  const out: HttpExchangeSummary[] = [];
  for (const c of engine.tcp) {
    if (c.http === null) continue;
    for (const x of c.http.exchanges) {
      out.push({
        flowId: c.id,
        client: formatEndpoint(c.origin),
        server: formatEndpoint(c.responder),
        method: x.method,
        uri: x.uri,
        host: x.host,
        userAgent: x.userAgent,
        status: x.status >= 0 ? x.status : null,
        requestFrame: x.requestFrame,
        responseFrame: x.responseFrame || null,
        responseTimeMs: x.responseNs >= 0 ? (x.responseNs - x.requestNs) / 1e6 : null,
        requestBodyBytes: x.requestBodyBytes,
        responseBodyBytes: x.responseBodyBytes,
        credentialsSent: x.credentialsSent,
        notable: x.status < 0 || x.status >= 400 || (x.responseNs >= 0 && x.responseNs - x.requestNs > 1e9),
      });
    }
  }
  return out;
}

export function nameProblem(t: NameTransaction): boolean {
  return t.status === 'unanswered' || t.rcode > 0 || t.retransmitFrames.length > 0 || t.responseTimeMs > 1000;
}

/** Every notable item (biggest first), then the top N of the rest by size. */
export function topWithNotable<T>(items: T[], notable: (x: T) => boolean, size: (x: T) => number, top = TOP_FLOWS): T[] {
  const bySize = (a: T, b: T) => size(b) - size(a);
  const problems = items.filter(notable).sort(bySize);
  const rest = items.filter((x) => !notable(x)).sort(bySize).slice(0, top);
  return [...problems, ...rest];
}

/** Where the capture was taken: the side whose packets arrive with an unreduced TTL is local. */
export function vantageOf(engine: FlowEngine): Vantage {
  let origLocal = 0;
  let respLocal = 0;
  let counted = 0;
  for (const c of engine.tcp) {
    if (c.orig.ttl < 0 || c.resp.ttl < 0) continue;
    counted++;
    if (c.orig.initialTtl === c.orig.ttl) origLocal++;
    if (c.resp.initialTtl === c.resp.ttl) respLocal++;
  }
  if (counted === 0) return { side: 'unknown', explanation: 'no TCP connection with packets from both sides' };
  const share = (n: number) => `${Math.round((100 * n) / counted)}%`;
  if (origLocal / counted >= 0.8 && respLocal / counted < 0.8)
    return { side: 'client', explanation: `the clients' packets arrive with their initial TTL unreduced in ${share(origLocal)} of ${counted} connections: the capture ran on or next to the clients` };
  if (respLocal / counted >= 0.8 && origLocal / counted < 0.8)
    return { side: 'server', explanation: `the servers' packets arrive with their initial TTL unreduced in ${share(respLocal)} of ${counted} connections: the capture ran on or next to the servers` };
  if (origLocal / counted >= 0.8 && respLocal / counted >= 0.8)
    return { side: 'between', explanation: `both sides' TTLs are unreduced in most connections: client and server share a network segment with the capture point` };
  return { side: 'between', explanation: `neither side's TTL is consistently unreduced: the capture point is between routers (a SPAN port or a tap)` };
}
