import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../capture/helpers.js';
import { netcase } from './run.js';

const DECODE = resolve(import.meta.dirname, '..', 'fixtures', 'decode');

describe('netcase analyze', () => {
  it('--json: one object with capture, flows, exchanges, findings and cases', () => {
    const r = netcase(['analyze', fixture('eth-usec.pcap'), '--json', '--symptom', 'web page slow']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    const a = JSON.parse(r.stdout);
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['capture', 'vantage', 'flowCount', 'flows', 'exchanges', 'findings', 'cases', 'symptom']));
    expect(a.capture).toMatchObject({ format: 'pcap', packets: 50 });
    expect(a.symptom).toBe('web page slow');
    expect(a.flows[0]).toMatchObject({ proto: expect.any(String), orig: expect.any(String), resp: expect.any(String), notable: expect.any(Boolean) });
    expect(a.exchanges.dns.length).toBe(3);
  });

  it('text: summary, conversations, exchanges with problems first', () => {
    const r = netcase(['analyze', resolve(DECODE, 'tls-alert.pcap')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Capture\s+.*tls-alert\.pcap \(pcap\): 24 frames/m);
    expect(r.stdout).toMatch(/TLS sessions\n[\s\S]*client alert 2\/48/);
  });

  it('a missing file is bad input (exit 2, one line), not an internal error', () => {
    const r = netcase(['analyze', '/nonexistent/capture.pcap']);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'netcase: /nonexistent/capture.pcap: no such file\n']);
  });

  it('bad options are usage errors; an empty --host counts as unset', () => {
    for (const [args, pattern] of [
      [['--host', 'not-an-ip'], /--host takes an IPv4 or IPv6 address/],
      [['--port', '70000'], /--port takes a port number/],
    ] as const) {
      const r = netcase(['analyze', fixture('eth-usec.pcap'), ...args]);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(pattern);
    }
    expect(netcase(['analyze', fixture('eth-usec.pcap'), '--host', '', '--json']).code).toBe(0);
  });

  it('decode --json carries Wireshark\u2019s tcp.analysis labels per frame', () => {
    const lines = netcase(['decode', resolve(import.meta.dirname, '..', 'fixtures', 'flows', 'reorder.pcap'), '--json'])
      .stdout.trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const frame = (n: number) => lines[n - 1];
    expect(frame(8).tcpAnalysis).toEqual(['lost_segment']);
    expect(frame(9)).toMatchObject({ tcpAnalysis: ['duplicate_ack'], tcpAnalysisInfo: { duplicateAckOf: 7, duplicateAckNum: 1 } });
    expect(frame(10).tcpAnalysis).toEqual(['out_of_order']);
    expect(frame(38).tcpAnalysis).toEqual(['retransmission', 'spurious_retransmission']);
  });
});

describe('threshold overrides (NETCASE_THRESHOLDS)', () => {
  const slow = resolve(import.meta.dirname, '..', 'fixtures', 'scenarios', 'slow-server.pcap');
  const codes = (env: Record<string, string>) => JSON.parse(netcase(['analyze', slow, '--json'], env).stdout).findings.map((f: { code: string }) => f.code);

  it('a team file raises a threshold; unknown names and bad values are refused with one line', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(resolve(tmpdir(), 'netcase-thresholds-'));
    const file = resolve(dir, 'thresholds.json');
    expect(codes({})).toContain('http.slow_response');
    writeFileSync(file, JSON.stringify({ httpSlowMs: 5000 }));
    expect(codes({ NETCASE_THRESHOLDS: file })).not.toContain('http.slow_response');
    writeFileSync(file, JSON.stringify({ httpSlowMilliseconds: 5000 }));
    const bad = netcase(['analyze', slow], { NETCASE_THRESHOLDS: file });
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toMatch(/unknown threshold "httpSlowMilliseconds"/);
    writeFileSync(file, JSON.stringify({ httpSlowMs: 'slow' }));
    expect(netcase(['analyze', slow], { NETCASE_THRESHOLDS: file }).stderr).toMatch(/must be a non-negative number/);
  });
});
