import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import { CHECKS } from '../../src/checks/index.js';
import { CATALOG, FINDING_CODES, SEVERITY_RANK } from '../../src/findings/catalog.js';
import { makeFinding, rankFindings, type Finding } from '../../src/findings/finding.js';

/**
 * Each row: a capture made by real stacks (or hand-built where the kernel cannot produce it, see
 * test/fixtures/README.md), the findings it must produce, and the rule that nothing else shows up
 * above low severity.
 */
const F = (dir: string, name: string) => resolve(import.meta.dirname, '..', 'fixtures', dir, name);

const SCENARIOS: { capture: string; expect: { code: string; severity?: string; frames?: number[] }[] }[] = [
  { capture: F('flows', 'ecn-blackhole.pcap'), expect: [{ code: 'tcp.ecn_syn_blackhole', severity: 'critical', frames: [3, 4] }, { code: 'tcp.syn_retransmit_delay' }, { code: 'tcp.ecn_negotiation', severity: 'info' }] },
  // The retransmissions are a symptom of the ECN black hole: they defer to it (low, "explained by").
  { capture: F('flows', 'ecn-blackhole-data.pcap'), expect: [{ code: 'tcp.ect_data_blackhole', severity: 'critical' }, { code: 'tcp.retransmission_rate', severity: 'low' }, { code: 'capture.snaplen_truncated' }, { code: 'tcp.ecn_negotiation' }] },
  { capture: F('flows', 'ecn-blackhole-data-client.pcap'), expect: [{ code: 'tcp.ect_data_blackhole', severity: 'critical' }, { code: 'tcp.retransmission_rate' }, { code: 'capture.snaplen_truncated' }, { code: 'tcp.ecn_negotiation' }] },
  { capture: F('decode', 'ecn.pcap'), expect: [{ code: 'tcp.ecn_negotiation', severity: 'info' }] },
  { capture: F('flows', 'zero-window.pcap'), expect: [{ code: 'tcp.zero_window', severity: 'high' }, { code: 'capture.snaplen_truncated' }] },
  { capture: F('flows', 'loss-capture-at-sender.pcap'), expect: [{ code: 'tcp.retransmission_rate', severity: 'medium' }, { code: 'capture.snaplen_truncated' }] },
  // One spurious retransmission is not a retransmission-rate problem (retransmissionMinSegments):
  // nothing but the duplicated frames may show above low.
  { capture: F('flows', 'reorder.pcap'), expect: [{ code: 'capture.duplicate_frames', frames: [25, 28] }] },
  { capture: F('flows', 'port-reuse.pcap'), expect: [{ code: 'tcp.port_reuse_fast' }, { code: 'tcp.syn_rejected' }, { code: 'tcp.rst_abort', severity: 'low' }] },
  { capture: F('decode', 'tls-alert.pcap'), expect: [{ code: 'tls.alert_fatal', severity: 'high', frames: [10, 21] }] }, // two connections, one alert: one finding (grouped by code and place)
  { capture: F('decode', 'dns.pcap'), expect: [{ code: 'dns.error_rcode', severity: 'high' }, { code: 'dns.error_rcode', severity: 'info' }] },
  { capture: F('decode', 'http.pcap'), expect: [{ code: 'http.error_status', severity: 'info' }] },
  { capture: F('captures', 'truncated-mid-record.pcap'), expect: [{ code: 'tcp.syn_rejected' }, { code: 'tcp.syn_rejected' }, { code: 'dns.error_rcode' }, { code: 'capture.truncated_file', frames: [48] }] },
  // Scenario captures from test/fixtures/make-scenario-captures.sh.
  { capture: F('scenarios', 'tls-client-abort-mid-download.pcap'), expect: [{ code: 'tls.client_abort_mid_transfer', frames: [12, 188] }, { code: 'tcp.rst_abort' }] },
  { capture: F('scenarios', 'reverse-dns-stall.pcap'), expect: [{ code: 'dns.ptr_lookup_stall', severity: 'high', frames: [6, 10] }, { code: 'app.first_request_penalty' }, { code: 'dns.slow_response' }, { code: 'app.server_think_time' }, { code: 'http.slow_response' }] },
  { capture: F('scenarios', 'short-name-suffix.pcap'), expect: [{ code: 'dns.suffix_search_exhaustion', severity: 'high' }, { code: 'dns.single_label_to_dns' }, { code: 'name.fallback_llmnr_nbns', severity: 'info' }] },
  { capture: F('scenarios', 'port-exhaustion.pcap'), expect: [{ code: 'tcp.ephemeral_range_pressure', severity: 'high' }, { code: 'tcp.port_reuse_fast' }] },
  { capture: F('scenarios', 'refused-v4-v6.pcap'), expect: [{ code: 'tcp.syn_rejected', frames: [3, 4] }, { code: 'tcp.syn_rejected', frames: [7, 8] }] },
  { capture: F('scenarios', 'syn-silent-drop.pcap'), expect: [{ code: 'tcp.syn_unanswered', severity: 'high' }] },
  { capture: F('scenarios', 'pmtu-blackhole-server.pcap'), expect: [{ code: 'tcp.pmtud_blackhole', severity: 'high' }, { code: 'tcp.rto_stall', severity: 'low' }, { code: 'capture.snaplen_truncated' }] },
  { capture: F('scenarios', 'pmtu-blackhole-client.pcap'), expect: [{ code: 'tcp.pmtud_blackhole', severity: 'high', frames: [13] }, { code: 'capture.snaplen_truncated' }] },
  { capture: F('scenarios', 'pmtu-icmp-frag-needed.pcap'), expect: [{ code: 'tcp.pmtud_blackhole', severity: 'low' }, { code: 'tcp.retransmission_rate', severity: 'low' }] },
  { capture: F('scenarios', 'slow-server.pcap'), expect: [{ code: 'app.server_think_time' }, { code: 'http.slow_response', frames: [12, 14] }] },
  { capture: F('scenarios', 'tls-incomplete-chain.pcap'), expect: [{ code: 'tls.cert_chain_incomplete', severity: 'high' }, { code: 'tls.alert_fatal', severity: 'high', frames: [10] }] },
  // The expired leaf is issued straight by "Netcase Test Root CA" and the client complains about the
  // date, not the chain: the lone leaf is a complete chain (low, the reason says why).
  { capture: F('scenarios', 'tls-expired-cert.pcap'), expect: [{ code: 'tls.cert_validity', severity: 'high' }, { code: 'tls.alert_fatal', severity: 'high' }, { code: 'tls.cert_chain_incomplete', severity: 'low' }] },
  { capture: F('scenarios', 'tls-version-mismatch.pcap'), expect: [{ code: 'tls.version_or_cipher_mismatch' }, { code: 'tls.alert_fatal', severity: 'medium' }] },
  { capture: F('scenarios', 'dns-no-response.pcap'), expect: [{ code: 'dns.no_response', frames: [3] }] },
  { capture: F('scenarios', 'http-no-response.pcap'), expect: [{ code: 'http.no_response', severity: 'high', frames: [6] }] },
  { capture: F('scenarios', 'tls-abort-after-server-flight.pcap'), expect: [{ code: 'tls.client_abort_after_server_flight', severity: 'high', frames: [8, 10] }, { code: 'tls.alert_fatal', severity: 'medium' }, { code: 'tcp.rst_abort' }] },
  { capture: F('scenarios', 'keepalive-dead-peer.pcap'), expect: [{ code: 'tcp.keepalive_dead_peer', frames: [14, 15, 16] }, { code: 'tcp.rst_abort' }] },
  { capture: F('scenarios', 'ecn-synack-blackhole.pcap'), expect: [{ code: 'tcp.ecn_synack_blackhole', severity: 'critical' }, { code: 'tcp.syn_retransmit_delay' }, { code: 'tcp.ecn_negotiation' }] },
  { capture: F('scenarios', 'one-direction-only.pcap'), expect: [{ code: 'capture.one_direction_only' }, { code: 'tcp.ephemeral_range_pressure' }, { code: 'tcp.port_reuse_fast' }] },
  { capture: F('scenarios', 'drops-suspected.pcap'), expect: [{ code: 'capture.drops_suspected' }, { code: 'tcp.retransmission_rate' }, { code: 'capture.snaplen_truncated' }] },
  { capture: F('scenarios', 'nbns-during-ptr-stall.pcap'), expect: [{ code: 'dns.ptr_lookup_stall' }, { code: 'nbns.node_status_probe', frames: [11, 13] }, { code: 'app.first_request_penalty' }, { code: 'dns.slow_response' }, { code: 'app.server_think_time' }, { code: 'http.slow_response' }] },
  { capture: F('flows', 'zero-window-probe-1byte.pcap'), expect: [{ code: 'tcp.zero_window' }] },
  { capture: F('flows', 'rate-limited.pcap'), expect: [{ code: 'tcp.window_limited' }] },
  // Hand-built (test/fixtures/tools/handshake-cases-pcap.py says why).
  { capture: F('scenarios', 'handshake-slow.pcap'), expect: [{ code: 'tcp.handshake_slow', frames: [49] }] },
  { capture: F('scenarios', 'stale-ack.pcap'), expect: [{ code: 'tcp.syn_answered_by_stale_ack', severity: 'high', frames: [1, 2] }, { code: 'tcp.syn_retransmit_delay' }] },
  // From the scenario matrix (test/fixtures/make-matrix-*.sh): mutual TLS without a client certificate.
  { capture: F('matrix/app', 'tls-mtls-nocert-curl-v4-client.pcap'), expect: [{ code: 'tls.alert_fatal', severity: 'high', frames: [8, 10, 11] }] },
  // A reverse lookup over IPv6 (ip6.arpa) stalls the server's answer; the slow answer defers to it.
  { capture: F('matrix/app', 'ptr-nxdomain-late-v6-server.pcap'), expect: [{ code: 'dns.ptr_lookup_stall', severity: 'high', frames: [12, 14] }, { code: 'app.first_request_penalty', severity: 'low' }, { code: 'app.server_think_time', severity: 'low' }, { code: 'http.slow_response', severity: 'low' }, { code: 'dns.slow_response' }] },
  // Seen from the client: the server's NetBIOS node-status queries arrive while the client waits.
  { capture: F('matrix/app', 'ptr-slow-nbns-dropped-v4-client.pcap'), expect: [{ code: 'nbns.node_status_probe', severity: 'high' }, { code: 'app.first_request_penalty' }, { code: 'app.server_think_time' }, { code: 'http.slow_response' }] },
  // A DNS server that reads and ignores (dig's three tries from new ports, capture ends 3 s in),
  // and one whose port is closed (ICMP port unreachable): both unanswered.
  { capture: F('matrix/app', 'dns-noresp-ignored-v6-client.pcap'), expect: [{ code: 'dns.no_response' }] },
  { capture: F('matrix/app', 'dns-noresp-port-unreach-v4-client.pcap'), expect: [{ code: 'dns.no_response' }] },
  // Frames the capture missed (derived with editcap from healthy captures): a SYN-ACK, an answer.
  { capture: F('matrix/derived', 'missed-synack-v4-client.pcap'), expect: [{ code: 'capture.drops_suspected', severity: 'medium', frames: [15] }] },
  { capture: F('matrix/derived', 'missed-response-v4-client.pcap'), expect: [{ code: 'capture.drops_suspected', severity: 'medium' }, { code: 'http.no_response', severity: 'low' }] },
  // A firewall rejecting the SYN with ICMP admin-prohibited (IPv4) / port unreachable (IPv6): refused, not unanswered.
  { capture: F('matrix/tcp', 'refused-icmpadmin-v4-client.pcap'), expect: [{ code: 'tcp.syn_rejected', severity: 'medium' }] },
  { capture: F('matrix/tcp', 'refused-icmpport-v6-client.pcap'), expect: [{ code: 'tcp.syn_rejected', severity: 'medium' }] },
  // Healthy traffic stays quiet.
  { capture: F('scenarios', 'healthy-mix.pcap'), expect: [] },
  { capture: F('decode', 'tls12.pcap'), expect: [] },
  { capture: F('decode', 'tls13.pcap'), expect: [] },
  { capture: F('flows', 'keepalive.pcap'), expect: [] },
];

async function findingsOf(path: string): Promise<Finding[]> {
  const [a] = await analyzeFile(path);
  return a.findings;
}

describe('checks on real captures', () => {
  it.each(SCENARIOS)('$capture', async ({ capture, expect: wanted }) => {
    const found = await findingsOf(capture);
    for (const w of wanted) {
      const match = found.find((f) => f.code === w.code && (w.severity === undefined || f.severity === w.severity) && (w.frames === undefined || JSON.stringify(f.frames) === JSON.stringify(w.frames)));
      expect(match, `${w.code} ${w.severity ?? ''} in ${found.map((f) => `${f.code}/${f.severity}`).join(', ')}`).toBeDefined();
    }
    const unexpected = found.filter((f) => SEVERITY_RANK[f.severity] > SEVERITY_RANK.low && !wanted.some((w) => w.code === f.code));
    expect(unexpected.map((f) => f.code)).toEqual([]);
    for (const f of found) {
      expect(f.frames.length).toBeLessThanOrEqual(20);
      expect(f.confidence).toBeGreaterThan(0);
      expect(f.confidence).toBeLessThanOrEqual(1);
      expect(f.summary.length).toBeGreaterThan(40);
    }
  });
});

describe('reasons: because, ruled out, next', () => {
  it('a stateful ECN black hole seen at the server names the first ECT segment and rules out PMTU and random loss', async () => {
    const found = await findingsOf(F('matrix/path', 'ect-stateful-resp-v4-server.pcap'));
    const ecn = found.find((f) => f.code === 'tcp.ect_data_blackhole');
    expect(ecn?.severity).toBe('critical');
    expect(ecn?.reasons.map((r) => r.id)).toEqual(['ecn.first_ect_then_silence', 'ruled_out.pmtu_small_segments_lost', 'ruled_out.random_loss_all_lost', 'next.disable_ecn_and_retry']);
    expect(ecn?.because).toMatch(/first ECT-marked data segment \(frame 8\)/);
    expect(ecn?.ruledOut).toHaveLength(2);
    expect(ecn?.next).toMatch(/tcp_ecn=0/);
    // The stall is its symptom: low, and it says what explains it.
    const stall = found.find((f) => f.code === 'tcp.rto_stall');
    expect(stall?.severity).toBe('low');
    expect(stall?.because).toBe('A symptom of tcp.ect_data_blackhole on the same connection, which explains it.');
  });
  it('mutual TLS: the reason names the certificate request and the empty certificate', async () => {
    const [alert] = (await findingsOf(F('matrix/app', 'tls-mtls-nocert-curl-v4-client.pcap'))).filter((f) => f.code === 'tls.alert_fatal');
    expect(alert.reasons).toEqual([{ id: 'tls.client_certificate_missing', facts: { requestFrame: 8, certFrame: 10, alert: 'handshake_failure', frame: 11 } }]);
    expect(alert.because).toMatch(/client certificate is required/);
  });
  it('a leaf issued straight by a root: the chain is complete, and the reason says so', async () => {
    const chain = (await findingsOf(F('scenarios', 'tls-expired-cert.pcap'))).find((f) => f.code === 'tls.cert_chain_incomplete');
    expect(chain?.reasons.map((r) => r.id)).toEqual(['tls.issuer_is_root']);
    expect(chain?.because).toMatch(/issued by "O=Netcase Test, CN=Netcase Test Root CA", whose name says it is a root/);
    // An intermediate that is missing stays a finding: the incomplete-chain scenario's client rejects it.
    const missing = (await findingsOf(F('scenarios', 'tls-incomplete-chain.pcap'))).find((f) => f.code === 'tls.cert_chain_incomplete');
    expect(missing?.severity).toBe('high');
  });
  it('findings without reasons have no sentences', async () => {
    for (const f of await findingsOf(F('scenarios', 'healthy-mix.pcap'))) expect([f.because, f.next, f.ruledOut.length]).toEqual(f.reasons.length === 0 ? [null, null, 0] : [f.because, f.next, f.ruledOut.length]);
  });
});

describe('the finding vocabulary', () => {
  it('every registered check has a catalog code, and codes are unique in the registry', () => {
    const codes = CHECKS.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(FINDING_CODES).toContain(code);
    expect([...new Set(codes)].sort()).toEqual([...FINDING_CODES].sort());
    expect(Object.keys(CATALOG).sort()).toEqual([...FINDING_CODES].sort());
  });

  it('every code of the catalog is exercised by a capture above (or the bookkeeping test below)', () => {
    const exercised = new Set([...SCENARIOS.flatMap((s) => s.expect.map((e) => e.code)), 'capture.state_limits_hit']);
    expect(FINDING_CODES.filter((code) => !exercised.has(code))).toEqual([]);
  });

  it('findings rank by severity, then confidence, then first frame', () => {
    const base = { ...makeFinding('tcp.rst_abort', { summary: '', frames: [] }), title: '' };
    const ranked = rankFindings([
      { ...base, code: 'dns.error_rcode', severity: 'info', confidence: 1, frames: [1] },
      { ...base, code: 'tcp.zero_window', severity: 'high', confidence: 0.5, frames: [9] },
      { ...base, code: 'tcp.rst_abort', severity: 'high', confidence: 0.9, frames: [50] },
      { ...base, code: 'tcp.syn_rejected', severity: 'high', confidence: 0.9, frames: [5] },
    ]);
    expect(ranked.map((f) => f.code)).toEqual(['tcp.syn_rejected', 'tcp.rst_abort', 'tcp.zero_window', 'dns.error_rcode']);
  });
});

describe('bookkeeping limits', () => {
  it('more connections than the limit: capture.state_limits_hit, counting the flows not followed', async () => {
    const { DEFAULT_LIMITS } = await import('../../src/flows/build-flows.js');
    const [a] = await analyzeFile(F('scenarios', 'port-exhaustion.pcap'), { limits: { ...DEFAULT_LIMITS, maxTcp: 10 } });
    const f = a.findings.find((x) => x.code === 'capture.state_limits_hit');
    // Untracked flows are counted once per address/port pair: this client cycles through 64 ports.
    expect(f?.metrics.tcpUntracked).toBe(64);
    expect(a.limits.tcpUntracked).toBe(64);
    expect(a.flows.filter((x) => x.proto === 'tcp')).toHaveLength(10);
  });
});
