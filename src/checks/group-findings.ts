import { SEVERITY_RANK, type FindingCode, type Severity } from '../findings/catalog.js';
import { MAX_AFFECTED, MAX_EXAMPLES, MAX_FRAMES, type Finding, type FindingFlow, type FindingPlace } from '../findings/finding.js';
import { endpointHost, endpointPort, formatEndpoint } from '../flows/endpoints.js';
import type { CheckInput } from './check.js';
import { groupBy } from './check.js';
import type { Thresholds } from './thresholds.js';

/**
 * One finding per (code, place), with a severity for the whole capture. Checks report one finding
 * per conversation, server or client; a capture of ten thousand connections with scattered resends
 * would otherwise read as a thousand paragraphs. The worst member leads (its summary and message,
 * reasons and frames); the others are counted, listed in `affected` and the worst five kept as
 * `examples`, and renderers say the place and count in the reader's language (report/place-words.ts).
 */

/** Symptoms that come and go on healthy networks: a small share of a place's conversations is background. */
const COMES_AND_GOES: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'tcp.retransmission_rate',
  'tcp.rst_abort',
  'tcp.zero_window',
  'tcp.window_limited',
  'tls.client_abort_mid_transfer',
  'http.slow_response',
  'http.error_status',
  'app.server_think_time',
]);

/** Failures where every conversation at the place failing means the service does not work at all. */
const FAILURES: ReadonlySet<FindingCode> = new Set<FindingCode>(['tcp.syn_unanswered', 'tcp.syn_rejected', 'tls.alert_fatal', 'tls.client_abort_after_server_flight', 'tls.version_or_cipher_mismatch']);

/** The metric that counts what an aggregated finding covers (a server-level finding of 12 refused SYNs counts 12). */
const COUNT_METRIC: Partial<Record<FindingCode, string>> = {
  'tcp.syn_unanswered': 'connections',
  'tcp.syn_rejected': 'refused',
  'tcp.syn_retransmit_delay': 'connections',
  'tcp.handshake_slow': 'slowHandshakes',
  'tcp.port_reuse_fast': 'quickReuses',
  'tcp.ecn_syn_blackhole': 'failedConnections',
  'dns.no_response': 'unanswered',
  'dns.slow_response': 'slowAnswers',
  'dns.error_rcode': 'responses',
  'dns.single_label_to_dns': 'queries',
  'http.error_status': 'responses',
  'http.no_response': 'unanswered',
  'http.slow_response': 'slowResponses',
};

/** The metric that makes one member worse than another of the same severity. */
const WORST_METRIC: Partial<Record<FindingCode, string>> = {
  'tcp.retransmission_rate': 'retransmissionPercent',
  'tcp.rto_stall': 'stallMs',
  'tcp.zero_window': 'zeroWindowSegments',
  'tcp.handshake_slow': 'worstMs',
  'dns.slow_response': 'worstMs',
  'dns.ptr_lookup_stall': 'waitMs',
  'http.slow_response': 'worstMs',
  'app.server_think_time': 'worstMs',
  'app.first_request_penalty': 'firstMs',
};

/** What splits one code into separate problems at the same place: another DNS error code, another TLS alert. */
function variantOf(f: Finding): string {
  if (f.code === 'dns.error_rcode') return String(f.metrics.rcode);
  if (f.code === 'tls.alert_fatal') return `${f.metrics.alertDescription}|${f.reasons.map((r) => r.id).join(',')}`;
  return '';
}

export function countOf(f: Finding): number {
  const key = COUNT_METRIC[f.code];
  const n = key === undefined ? undefined : f.metrics[key];
  return typeof n === 'number' && n >= 1 ? n : 1;
}

function worseFirst(a: Finding, b: Finding): number {
  const key = WORST_METRIC[a.code];
  const m = (f: Finding) => (key === undefined ? 0 : (f.metrics[key] ?? 0));
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || m(b) - m(a) || b.frameCount - a.frameCount || (a.frames[0] ?? Infinity) - (b.frames[0] ?? Infinity);
}

/**
 * The one name each server is known by: what its own conversations asked for (TLS SNI, HTTP Host)
 * for that address and port, else the DNS name whose answers gave that address; none when two
 * names share it (a CDN, virtual hosts).
 */
class ServerNames {
  private readonly byEndpoint = new Map<string, Set<string>>();
  private readonly byAddress = new Map<string, Set<string>>();

  constructor(input: CheckInput) {
    for (const c of input.tcp) {
      const endpoint = formatEndpoint(c.responder);
      if (c.tls !== null) add(this.byEndpoint, endpoint, c.tls.sni);
      for (const x of c.http?.exchanges ?? []) add(this.byEndpoint, endpoint, x.host);
    }
    for (const t of input.names) if (t.protocol === 'dns' && (t.qtype === 1 || t.qtype === 28)) for (const a of t.answers) add(this.byAddress, a, t.name);
  }

  of(endpoint: string, host: string): string | null {
    return only(this.byEndpoint.get(endpoint)) ?? only(this.byAddress.get(host));
  }
}

function add(map: Map<string, Set<string>>, key: string, name: string): void {
  const n = name.toLowerCase().replace(/\.$/, '').replace(/:\d+$/, '');
  if (n === '' || /^[\d.]+$/.test(n) || n.includes(':')) return;
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(n);
}

function only(set: Set<string> | undefined): string | null {
  return set !== undefined && set.size === 1 ? [...set][0] : null;
}

interface Member {
  finding: Finding;
  kind: FindingPlace['kind'];
  /** server endpoint or host, client host, or '' for the capture */
  address: string;
  host: string;
  port: number | null;
  name: string | null;
}

function memberOf(f: Finding, names: ServerNames): Member {
  const flow = f.flow;
  if (flow === null || f.code.startsWith('capture.')) return { finding: f, kind: 'capture', address: '', host: '', port: null, name: null };
  if ('client' in flow) return { finding: f, kind: 'client', address: flow.client, host: endpointHost(flow.client), port: null, name: null };
  const address = 'server' in flow ? flow.server : flow.resp;
  const host = endpointHost(address);
  const port = host === address ? null : endpointPort(address);
  return { finding: f, kind: 'server', address, host, port: Number.isInteger(port) ? port : null, name: names.of(address, host) };
}

/** Conversations at each place, for shares: by server endpoint, by server host, by port, by client host. */
class Denominators {
  readonly byServer = new Map<string, number>();
  readonly byServerHost = new Map<string, number>();
  readonly byPort = new Map<number, number>();
  readonly byClient = new Map<string, number>();
  total = 0;

  constructor(input: CheckInput) {
    for (const c of [...input.tcp, ...input.udp]) {
      this.total++;
      bump(this.byServer, formatEndpoint(c.responder));
      bump(this.byServerHost, c.responder.ip);
      bump(this.byPort, c.responder.port);
      bump(this.byClient, c.origin.ip);
    }
  }

  of(members: Member[], kind: FindingPlace['kind']): number {
    if (kind === 'capture') return this.total;
    if (kind === 'service') return this.byPort.get(members[0].port ?? -1) ?? 0;
    const seen = new Set<string>();
    let n = 0;
    for (const m of members) {
      const key = kind === 'client' ? m.host : m.port === null ? m.host : m.address;
      if (seen.has(key)) continue;
      seen.add(key);
      n += (kind === 'client' ? this.byClient.get(m.host) : m.port === null ? this.byServerHost.get(m.host) : this.byServer.get(m.address)) ?? 0;
    }
    return n;
  }
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export function groupFindings(findings: Finding[], input: CheckInput): Finding[] {
  const names = new ServerNames(input);
  const denominators = new Denominators(input);
  const t = input.thresholds;
  const out: Finding[] = [];
  for (const list of groupBy(findings, (f) => `${f.code}|${variantOf(f)}`).values()) {
    const members = list.map((f) => memberOf(f, names));
    const places = [...groupBy(members, placeKey).values()].map((ms) => ({ members: ms, kind: ms[0].kind }));
    for (const group of fold(places, t)) out.push(merge(group.members, group.kind, denominators.of(group.members, group.kind), t));
  }
  return out;
}

function placeKey(m: Member): string {
  if (m.kind === 'server') return `s|${m.name ?? m.host}|${m.port ?? ''}`;
  return `${m.kind}|${m.host}`;
}

type Group = { members: Member[]; kind: FindingPlace['kind'] };

/**
 * More places than `groupMaxPlaces` for one code: the strong ones (high and above) stay apart
 * while they are few; the rest fold by service port, and into one capture-wide finding when the
 * ports are many too.
 */
function fold(groups: Group[], t: Thresholds): Group[] {
  if (groups.length <= t.groupMaxPlaces) return groups;
  const strong = groups.filter((g) => g.members.some((m) => SEVERITY_RANK[m.finding.severity] >= SEVERITY_RANK.high));
  const keepApart = strong.length <= t.groupMaxPlaces ? new Set(strong) : new Set<Group>();
  const rest = groups.filter((g) => !keepApart.has(g));
  const all = rest.flatMap((g) => g.members);
  let folded: Group[];
  if (all.every((m) => m.kind === 'server' && m.port !== null)) {
    folded = [...groupBy(all, (m) => String(m.port)).values()].map((ms) => ({ members: ms, kind: 'service' as const }));
    if (folded.length > t.groupMaxPlaces) folded = [{ members: all, kind: 'capture' }];
  } else {
    folded = [{ members: all, kind: 'capture' }];
  }
  // A service port found at one server only stays that server.
  folded = folded.map((g) => (g.kind === 'service' && new Set(g.members.map(placeKey)).size === 1 ? { members: g.members, kind: 'server' } : g));
  return [...keepApart, ...folded];
}

function merge(members: Member[], kind: FindingPlace['kind'], conversations: number, t: Thresholds): Finding {
  const sorted = [...members].sort((a, b) => worseFirst(a.finding, b.finding));
  const worst = sorted[0].finding;
  const count = members.reduce((n, m) => n + countOf(m.finding), 0);
  const examples = sorted.slice(0, MAX_EXAMPLES).map((m) => ({ flow: m.finding.flow, frames: m.finding.frames.slice(0, 5), metrics: m.finding.metrics }));
  const frames = [...new Set([...sorted.slice(0, MAX_EXAMPLES).flatMap((m) => m.finding.frames.slice(0, 4)), ...sorted.flatMap((m) => m.finding.frames)])].slice(0, MAX_FRAMES);
  const affected = dedupeFlows(sorted.map((m) => m.finding.flow)).slice(0, MAX_AFFECTED);
  const hostsOf = new Set(members.map((m) => (kind === 'client' ? m.host : (m.name ?? m.host))));
  const addresses = [...new Set(members.map((m) => m.address).filter((a) => a !== ''))].slice(0, MAX_AFFECTED);
  const name = kind === 'server' ? (members.find((m) => m.name !== null)?.name ?? null) : null;
  const place: FindingPlace = { kind, name, port: kind === 'server' || kind === 'service' ? sorted[0].port : null, addresses, hosts: kind === 'capture' && addresses.length === 0 ? 0 : hostsOf.size, conversations };
  return {
    ...worst,
    severity: severityFor(worst.code, worst.severity, members, count, conversations, t),
    confidence: Math.max(...members.map((m) => m.finding.confidence)),
    frames,
    frameCount: members.reduce((n, m) => n + m.finding.frameCount, 0),
    place,
    count,
    examples,
    affected,
  };
}

/** The whole capture's view of a group's severity; the rules' numbers are in thresholds.ts. */
function severityFor(code: FindingCode, worst: Severity, members: Member[], count: number, conversations: number, t: Thresholds): Severity {
  if (COMES_AND_GOES.has(code) && conversations >= t.groupBackgroundMinConversations && count / conversations < t.groupBackgroundShare) {
    return SEVERITY_RANK[worst] > SEVERITY_RANK.low ? 'low' : worst;
  }
  if (FAILURES.has(code) && count >= t.groupAllFailMin && count >= conversations && SEVERITY_RANK[worst] < SEVERITY_RANK.high) {
    const deferred = members.every((m) => m.finding.reasons.some((r) => r.id === 'symptom.explained_by'));
    if (!deferred) return 'high';
  }
  return worst;
}

function dedupeFlows(flows: (FindingFlow | null)[]): FindingFlow[] {
  const seen = new Set<string>();
  const out: FindingFlow[] = [];
  for (const f of flows) {
    if (f === null) continue;
    const key = JSON.stringify(f);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}
