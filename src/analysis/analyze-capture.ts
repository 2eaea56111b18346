import { CaptureSummary } from '../capture/summarize-capture.js';
import { runChecks } from '../checks/index.js';
import { explainFinding } from '../findings/explain.js';
import { ALERT_NAMES } from '../checks/tls-http.js';
import { THRESHOLDS, type Thresholds } from '../checks/thresholds.js';
import { matchCases, type CaseMatch, type FindingFacts, type NoAnswer } from '../cases/match-cases.js';
import type { CaseIndex } from '../cases/search-cases.js';
import { dnsRcodeName } from '../decode/dns-names.js';
import { tlsVersionName } from '../decode/tls.js';
import { formatEndpoint } from '../flows/endpoints.js';
import type { TcpConnection } from '../flows/tcp-connection.js';
import type { Finding } from '../findings/finding.js';
import { RelativeClock } from '../capture/timestamps.js';
import type { Capture } from '../capture/types.js';
import { FrameDecoder, isDecodableLinkType } from '../decode/decode-frame.js';
import { DecodeStats } from '../decode/decode-stats.js';
import type { Packet } from '../decode/packet.js';
import { FlowEngine, type FlowLimits, DEFAULT_LIMITS } from '../flows/build-flows.js';
import type { FrameAnalysis } from '../flows/tcp-analysis.js';
import type { Analysis, FlowSummary } from './analysis-types.js';
import { httpExchanges, nameProblem, summarizeTcp, tlsSessions, summarizeUdp, topWithNotable, vantageOf } from './summarize-flows.js';

/**
 * The whole pure pipeline: frames -> packets -> flows and exchanges (-> findings and cases in later
 * stages). It reads through the Capture it is handed and does no other I/O.
 */
export interface AnalyzeOptions {
  /** Only traffic to or from this IP address. */
  host?: string;
  /** Only traffic to or from this port. */
  port?: number;
  /** List every flow, not only the top ones and the notable ones. */
  allFlows?: boolean;
  limits?: FlowLimits;
  /** The case library's index: with it, findings and the symptom are matched to cases. */
  cases?: CaseIndex;
  symptom?: string | null;
  /** The checks' thresholds (defaults with a team's overrides). */
  thresholds?: Thresholds;
  /** Called after each batch with the number of frames read so far. */
  onFrames?: (frames: number) => void;
  /** Aborting fails the analysis. */
  signal?: AbortSignal;
  /**
   * When this fires (a time limit), reading stops before the next batch and the analysis covers the
   * frames read so far, with a capture.time_limit warning saying where it stopped.
   */
  stop?: AbortSignal;
}

export async function analyzeCapture(capture: Capture, options: AnalyzeOptions = {}): Promise<Analysis> {
  const summary = new CaptureSummary();
  const decoder = new FrameDecoder();
  const stats = new DecodeStats();
  const engine = new FlowEngine(options.limits ?? DEFAULT_LIMITS);
  const analysis: FrameAnalysis = { flags: 0, dupAckNum: 0, dupAckFrame: 0, ackRttNs: -1, ackedFrame: 0, bytesInFlight: -1 };
  const focus = focusFilter(options);
  const clock = new RelativeClock();
  for await (const batch of capture.frames()) {
    options.signal?.throwIfAborted();
    if (options.stop?.aborted) {
      const last = summary.packets;
      capture.meta.warnings.push({ code: 'capture.time_limit', message: `the analysis reached its time limit after frame ${last}; later frames were not analysed`, frame: last + 1, offset: null });
      break;
    }
    summary.add(batch);
    for (let i = 0; i < batch.count; i++) {
      const p = decoder.decode(batch, i);
      stats.add(p, isDecodableLinkType(p.linkType));
      const timeNs = clock.at(batch.tsSec[i], batch.tsNsec[i]);
      if (focus !== null && !focus(p, batch.data)) continue;
      engine.add(p, batch.data, batch.firstNumber + i, timeNs, analysis);
    }
    options.onFrames?.(summary.packets);
  }
  engine.finish(clock.latestNs);
  return buildAnalysis(capture, summary, stats, engine, options);
}

function buildAnalysis(capture: Capture, summary: CaptureSummary, stats: DecodeStats, engine: FlowEngine, options: AnalyzeOptions): Analysis {
  const info = summary.result(capture.meta);
  const findings = runChecks({ capture: info, tcp: engine.tcp, udp: engine.udp, names: engine.names.all, limits: engine.limits, icmpErrors: engine.icmpErrors, ptrWatches: engine.ptrWatches, anomalies: stats.anomalies, thresholds: options.thresholds ?? { ...THRESHOLDS } }).map(explainFinding);
  const tcp = engine.tcp.map((c) => summarizeTcp(c, (options.thresholds ?? THRESHOLDS).rtoStallMs));
  const udp = engine.udp.map(summarizeUdp);
  const all: FlowSummary[] = [...tcp, ...udp];
  const bytes = (f: FlowSummary) => f.origSide.bytes + f.respSide.bytes;
  const dns = engine.names.all;
  const tls = tlsSessions(engine);
  const http = httpExchanges(engine);
  return {
    capture: info,
    vantage: vantageOf(engine),
    focus: { host: options.host ?? null, port: options.port ?? null },
    flowCount: { tcp: engine.tcp.length + engine.limits.tcpUntracked, udp: engine.udp.length + engine.limits.udpUntracked },
    flows: options.allFlows ? all : topWithNotable(all, (f) => f.notable, bytes),
    exchanges: {
      dns: options.allFlows ? dns : topWithNotable(dns, nameProblem, (t) => -t.queryFrame),
      tls: options.allFlows ? tls : topWithNotable(tls, (t) => t.notable, (t) => t.appDataBytes.client + t.appDataBytes.server),
      http: options.allFlows ? http : topWithNotable(http, (x) => x.notable, (x) => -x.requestFrame),
    },
    protocols: Object.fromEntries([...stats.byProtocol].sort((a, b) => b[1] - a[1])),
    anomalies: Object.fromEntries(stats.anomalies),
    limits: { ...engine.limits },
    findings,
    ...caseMatches(options, findings, engine),
  };
}

function caseMatches(options: AnalyzeOptions, findings: Finding[], engine: FlowEngine): { findingFacts: FindingFacts[]; cases: CaseMatch[]; answer: string | null; noAnswer: NoAnswer | null } {
  const byFlow = new Map(engine.tcp.map((c) => [`${formatEndpoint(c.origin)}|${formatEndpoint(c.responder)}`, c]));
  const facts = findings.map((finding) => ({ finding, facts: factsOf(finding, byFlow) }));
  const findingFacts = facts.map((f) => f.facts);
  if (options.cases === undefined) return { findingFacts, cases: [], answer: null, noAnswer: null };
  const m = matchCases(options.cases, facts, options.symptom ?? null);
  return { findingFacts, cases: m.candidates, answer: m.answer, noAnswer: m.noAnswer };
}

/** What case-page conditions can be checked against: the facts the flow engine knows about a finding. */
function factsOf(f: Finding, byFlow: Map<string, TcpConnection>): FindingFacts {
  const facts: FindingFacts = {};
  const flow = f.flow;
  const server = flow === null ? null : 'resp' in flow ? flow.resp : 'server' in flow ? flow.server : null;
  const port = server === null ? NaN : Number(server.slice(server.lastIndexOf(':') + 1));
  if (Number.isInteger(port)) facts.port = port;
  if (flow !== null && 'orig' in flow) {
    const c = byFlow.get(`${flow.orig}|${flow.resp}`);
    if (c !== undefined) {
      if (c.orig.initialTtl > 0) facts.client_ttl_class = c.orig.initialTtl;
      if (c.resp.initialTtl > 0) facts.server_ttl_class = c.resp.initialTtl;
      if (c.tls !== null) facts.tls_version = tlsVersionName(c.tls.selectedVersion || Math.max(0, ...c.tls.offeredVersions));
    }
  }
  if (typeof f.metrics.rcode === 'number') facts.rcode = dnsRcodeName(f.metrics.rcode);
  if (f.code === 'tls.alert_fatal' && typeof f.metrics.alertDescription === 'number') facts.tls_alert = ALERT_NAMES[f.metrics.alertDescription] ?? String(f.metrics.alertDescription);
  if (f.code === 'tls.alert_fatal' && f.reasons.some((r) => r.id === 'tls.client_certificate_missing')) facts.client_certificate = 'missing';
  if (f.code === 'dns.single_label_to_dns' || f.code === 'dns.suffix_search_exhaustion') facts.qname_has_dot = false;
  return facts;
}

/** The --host / --port filter: compares address text only for frames that have an IP header. */
function focusFilter(options: AnalyzeOptions): ((p: Packet, data: Uint8Array) => boolean) | null {
  if (options.host === undefined && options.port === undefined) return null;
  const hostBytes = options.host === undefined ? null : parseAddress(options.host);
  const port = options.port;
  return (p, data) => {
    if (p.ipVersion === 0) return false;
    if (port !== undefined && p.srcPort !== port && p.dstPort !== port) return false;
    if (hostBytes === null) return true;
    const length = p.ipVersion === 4 ? 4 : 16;
    if (hostBytes.length !== length) return false;
    return equalAt(data, p.srcAddr, hostBytes) || equalAt(data, p.dstAddr, hostBytes);
  };
}

function equalAt(data: Uint8Array, at: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (data[at + i] !== bytes[i]) return false;
  return true;
}

/** IPv4 dotted quad or IPv6 text to bytes; throws on anything else. */
export function parseAddress(text: string): Uint8Array {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.every((x) => x <= 255)) return Uint8Array.from(parts);
  }
  if (text.includes(':')) {
    const [head, tail] = text.split('::');
    const h = head ? head.split(':') : [];
    const t = tail !== undefined && tail ? tail.split(':') : [];
    if (text.split('::').length <= 2 && [...h, ...t].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) {
      const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
      if (groups.length === 8) return Uint8Array.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
    }
  }
  throw new Error(`not an IP address: ${text}`);
}
