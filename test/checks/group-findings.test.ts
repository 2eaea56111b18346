import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import { THRESHOLDS } from '../../src/checks/thresholds.js';
import { scopeLine } from '../../src/report/place-words.js';
// @ts-expect-error the bench generator is plain JavaScript
import { generateCapture } from '../../bench/generate-capture.mjs';

const GROUPING = resolve(import.meta.dirname, '..', 'fixtures', 'grouping', 'loss1-many-v4-client.pcap.gz');

describe('findings grouped by cause and place (issue 16)', () => {
  it('2,000 downloads with 1% loss: one low "retransmission rate" for the server, worst examples first', async () => {
    const [a] = await analyzeFile(GROUPING);
    // Ungrouped, this capture gave 12 findings, 7 of them "retransmission rate" at high (one per connection).
    expect(a.findings.length).toBeLessThanOrEqual(8);
    const retx = a.findings.filter((f) => f.code === 'tcp.retransmission_rate');
    expect(retx).toHaveLength(1);
    const [r] = retx;
    expect(r.severity).toBe('low');
    expect(r.place).toMatchObject({ kind: 'server', port: 80, addresses: ['10.83.2.2:80'], conversations: 2000 });
    expect(r.count).toBeGreaterThanOrEqual(5);
    expect(r.affected).toHaveLength(r.count);
    expect(r.examples.length).toBe(Math.min(5, r.count));
    const pct = r.examples.map((x) => x.metrics.retransmissionPercent);
    expect(pct).toEqual([...pct].sort((x, y) => y - x));
    expect(r.metrics).toEqual(r.examples[0].metrics);
    expect(r.flow).toEqual(r.examples[0].flow);
    expect(r.frames.slice(0, 2)).toEqual(r.examples[0].frames.slice(0, 2));
    expect(scopeLine(r, 'en')).toBe(`In ${r.count} of 2,000 conversations with files.netcase.test:80 (10.83.2.2); the worst is shown.`);
    expect(scopeLine(r, 'zh')).toBe(`与 files.netcase.test:80（10.83.2.2）的 2,000 个连接中有 ${r.count} 个；下面是最严重的一个。`);
  });

  it('one refusal over IPv4 and IPv6 of the same name is one finding, high because every attempt failed', async () => {
    const [a] = await analyzeFile(GROUPING);
    const refused = a.findings.filter((f) => f.code === 'tcp.syn_rejected');
    expect(refused).toHaveLength(1);
    expect(refused[0].place).toMatchObject({ kind: 'server', name: 'svc.netcase.test', port: 9, conversations: 6 });
    expect([...refused[0].place.addresses].sort()).toEqual(['10.83.2.2:9', '[fd00:83:2::2]:9']);
    expect(refused[0].count).toBe(6);
    expect(refused[0].severity).toBe('high');
    expect(scopeLine(refused[0], 'en')).toBe('6 in all, with svc.netcase.test:9 (10.83.2.2, fd00:83:2::2).');
  });

  describe('the bench capture (bench/generate-capture.mjs, 1.1M frames)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netcase-group-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads as a few dozen findings, not hundreds; scattered symptoms are low', async () => {
      const file = join(dir, 'full.pcap');
      generateCapture({ out: file });
      const [a] = await analyzeFile(file);
      // Ungrouped: 889 findings (1,576 before the checks of issue 15), 383 of them "connections reset".
      expect(a.findings.length).toBeLessThanOrEqual(36);
      const perCode = new Map<string, number>();
      for (const f of a.findings) perCode.set(`${f.code}|${f.metrics.rcode ?? ''}`, (perCode.get(`${f.code}|${f.metrics.rcode ?? ''}`) ?? 0) + 1);
      for (const n of perCode.values()) expect(n).toBeLessThanOrEqual(2 * THRESHOLDS.groupMaxPlaces);
      for (const f of a.findings.filter((x) => ['tcp.retransmission_rate', 'tcp.rst_abort', 'tls.client_abort_mid_transfer'].includes(x.code))) {
        expect(f.severity, `${f.code} at ${JSON.stringify(f.place)}`).toBe('low');
        expect(f.place.kind).not.toBe('server');
      }
      const resets = a.findings.filter((f) => f.code === 'tcp.rst_abort');
      expect(resets.reduce((n, f) => n + f.count, 0)).toBeGreaterThan(300);
      for (const f of a.findings) expect(f.examples.length).toBeGreaterThanOrEqual(1);
    }, 180_000);
  });
});
