import type { FindingCode } from '../findings/catalog.js';
import type { Finding, FindingFlow } from '../findings/finding.js';
import { reason } from '../findings/reasons.js';
import { endpointHost } from '../flows/endpoints.js';

/**
 * The one place that decides which findings are only symptoms of a cause another finding names:
 * a cause lists the symptom codes it explains. A symptom about the same conversation (or the same
 * server) as its cause drops to low severity and says what explains it; nothing is hidden.
 */
export const EXPLAINS: Partial<Record<FindingCode, readonly FindingCode[]>> = {
  'tcp.pmtud_blackhole': ['tcp.rto_stall', 'tcp.retransmission_rate', 'http.no_response', 'http.slow_response', 'tls.client_abort_mid_transfer'],
  'tcp.ect_data_blackhole': ['tcp.rto_stall', 'tcp.retransmission_rate', 'http.no_response', 'http.slow_response', 'tls.client_abort_mid_transfer'],
  'tcp.ecn_syn_blackhole': ['tcp.syn_retransmit_delay', 'tcp.syn_unanswered', 'tcp.handshake_slow'],
  'tcp.ecn_synack_blackhole': ['tcp.syn_retransmit_delay', 'tcp.syn_unanswered', 'tcp.handshake_slow'],
  // The host waits on its reverse lookup before answering: the slow first answer and the slow or
  // missing PTR answer are what that looks like.
  'dns.ptr_lookup_stall': ['app.first_request_penalty', 'app.server_think_time', 'http.slow_response', 'dns.slow_response', 'dns.no_response'],
};

/** The places a finding is about: its conversation's endpoints, or its server / client. */
function places(flow: FindingFlow | null): string[] {
  if (flow === null) return [];
  if ('proto' in flow) return [`${flow.orig}>${flow.resp}`, flow.resp];
  if ('server' in flow) return [flow.server];
  return [flow.client];
}

function samePlace(cause: Finding, symptom: Finding): boolean {
  // The same evidence: every frame the symptom points at is one of the cause's (a PTR query
  // left unanswered is the reverse-lookup stall's own query).
  if (symptom.frames.length > 0 && symptom.frames.every((f) => cause.frames.includes(f))) return true;
  const c = places(cause.flow);
  const s = places(symptom.flow);
  if (c.length === 0 || s.length === 0) return false;
  // A conversation matches the same conversation; a server-level finding matches its server, by
  // address when one of them names no port (a host's reverse lookup stalls all its services).
  if (c.length === 2 && s.length === 2) return c[0] === s[0];
  if (s.some((p) => c.includes(p))) return true;
  const hosts = new Set(c.map(endpointHost));
  const portless = (e: string) => endpointHost(e) === e;
  return s.some((p) => hosts.has(endpointHost(p)) && (portless(c[c.length - 1]) || portless(p)));
}

export function deferSymptoms(findings: Finding[]): Finding[] {
  return findings.map((f) => {
    if (f.severity === 'info' || f.severity === 'low') return f;
    const cause = findings.find((c) => c !== f && (EXPLAINS[c.code] ?? []).includes(f.code) && (c.severity === 'critical' || c.severity === 'high') && samePlace(c, f));
    if (cause === undefined) return f;
    return { ...f, severity: 'low', reasons: [reason('symptom.explained_by', { code: cause.code }), ...f.reasons] };
  });
}
