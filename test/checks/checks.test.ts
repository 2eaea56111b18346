import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import { CHECKS } from '../../src/checks/index.js';
import { CATALOG, FINDING_CODES, SEVERITY_RANK } from '../../src/findings/catalog.js';
import { rankFindings, type Finding } from '../../src/findings/finding.js';

/**
 * Each row: a capture made by real stacks (or hand-built where the kernel cannot produce it, see
 * test/fixtures/README.md), the findings it must produce, and the rule that nothing else shows up
 * above low severity.
 */
const F = (dir: string, name: string) => resolve(import.meta.dirname, '..', 'fixtures', dir, name);

const SCENARIOS: { capture: string; expect: { code: string; severity?: string; frames?: number[] }[] }[] = [
  { capture: F('flows', 'ecn-blackhole.pcap'), expect: [{ code: 'tcp.ecn_syn_blackhole', severity: 'critical', frames: [3, 4] }, { code: 'tcp.syn_retransmit_delay' }, { code: 'tcp.ecn_negotiation', severity: 'info' }] },
  { capture: F('flows', 'ecn-blackhole-data.pcap'), expect: [{ code: 'tcp.ect_data_blackhole', severity: 'critical' }, { code: 'tcp.retransmission_rate', severity: 'high' }, { code: 'capture.snaplen_truncated' }, { code: 'tcp.ecn_negotiation' }] },
  { capture: F('flows', 'ecn-blackhole-data-client.pcap'), expect: [{ code: 'tcp.ect_data_blackhole', severity: 'critical' }, { code: 'tcp.retransmission_rate' }, { code: 'capture.snaplen_truncated' }, { code: 'tcp.ecn_negotiation' }] },
  { capture: F('decode', 'ecn.pcap'), expect: [{ code: 'tcp.ecn_negotiation', severity: 'info' }] },
  { capture: F('flows', 'zero-window.pcap'), expect: [{ code: 'tcp.zero_window', severity: 'high' }, { code: 'capture.snaplen_truncated' }] },
  { capture: F('flows', 'loss-capture-at-sender.pcap'), expect: [{ code: 'tcp.retransmission_rate', severity: 'medium' }, { code: 'capture.snaplen_truncated' }] },
  { capture: F('flows', 'reorder.pcap'), expect: [{ code: 'capture.duplicate_frames', frames: [25, 28] }, { code: 'tcp.retransmission_rate' }] },
  { capture: F('flows', 'port-reuse.pcap'), expect: [{ code: 'tcp.port_reuse_fast' }, { code: 'tcp.syn_rejected' }, { code: 'tcp.rst_abort', severity: 'low' }] },
  { capture: F('decode', 'tls-alert.pcap'), expect: [{ code: 'tls.alert_fatal', severity: 'high', frames: [10] }] },
  { capture: F('decode', 'dns.pcap'), expect: [{ code: 'dns.error_rcode', severity: 'high' }, { code: 'dns.error_rcode', severity: 'info' }] },
  { capture: F('decode', 'http.pcap'), expect: [{ code: 'http.error_status', severity: 'info' }] },
  { capture: F('captures', 'truncated-mid-record.pcap'), expect: [{ code: 'tcp.syn_rejected' }, { code: 'tcp.syn_rejected' }, { code: 'dns.error_rcode' }, { code: 'capture.truncated_file', frames: [48] }] },
  // Healthy traffic stays quiet.
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

describe('the finding vocabulary', () => {
  it('every registered check has a catalog code, and codes are unique in the registry', () => {
    const codes = CHECKS.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(FINDING_CODES).toContain(code);
    expect([...new Set(codes)].sort()).toEqual([...FINDING_CODES].sort());
    expect(Object.keys(CATALOG).sort()).toEqual([...FINDING_CODES].sort());
  });

  it('findings rank by severity, then confidence, then first frame', () => {
    const base = { title: '', summary: '', frameCount: 1, flow: null, metrics: {} };
    const ranked = rankFindings([
      { ...base, code: 'dns.error_rcode', severity: 'info', confidence: 1, frames: [1] },
      { ...base, code: 'tcp.zero_window', severity: 'high', confidence: 0.5, frames: [9] },
      { ...base, code: 'tcp.rst_abort', severity: 'high', confidence: 0.9, frames: [50] },
      { ...base, code: 'tcp.syn_rejected', severity: 'high', confidence: 0.9, frames: [5] },
    ]);
    expect(ranked.map((f) => f.code)).toEqual(['tcp.syn_rejected', 'tcp.rst_abort', 'tcp.zero_window', 'dns.error_rcode']);
  });
});
