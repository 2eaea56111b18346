import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import type { Analysis } from '../../src/analysis/analysis-types.js';
import { fixture } from '../capture/helpers.js';

const DECODE = resolve(import.meta.dirname, '..', 'fixtures', 'decode');
const FLOWS = resolve(import.meta.dirname, '..', 'fixtures', 'flows');

async function analyze(path: string, options = {}): Promise<Analysis> {
  const [a] = await analyzeFile(path, options);
  return a;
}

describe('connections (real captures from test/fixtures)', () => {
  it('the example capture: Zeek states, history, originator, handshake and TTLs', async () => {
    const a = await analyze(fixture('eth-usec.pcap'));
    expect(a.flowCount).toEqual({ tcp: 4, udp: 5 });
    const http = a.flows.find((f) => f.resp === '10.77.0.2:8080');
    expect(http).toMatchObject({ proto: 'tcp', app: 'http', orig: expect.stringMatching(/^10\.77\.0\.1:\d+$/), state: 'SF', history: 'ShADadfF', firstFrame: 13, lastFrame: 24 });
    expect(http?.origSide).toMatchObject({ ttl: 64, initialTtl: 64, hops: 0, mss: 1460, sackPermitted: true });
    expect(http?.handshake?.synToSynAckMs).toBeGreaterThan(0);
    const refused = a.flows.filter((f) => f.state === 'REJ');
    expect(refused.map((f) => f.resp).sort()).toEqual(['10.77.0.2:9', '[fd00:77::2]:9']);
    expect(refused.every((f) => f.notable && f.history === 'Sr')).toBe(true);
    expect(a.vantage.side).toBe('between');
  });

  it('port reuse makes a second connection and is flagged', async () => {
    const a = await analyze(resolve(FLOWS, 'port-reuse.pcap'));
    const reused = a.flows.filter((f) => f.portReuse);
    expect(reused.length).toBeGreaterThanOrEqual(1);
    const sameTuple = a.flows.filter((f) => f.orig === reused[0].orig && f.resp === reused[0].resp);
    expect(sameTuple.length).toBeGreaterThanOrEqual(2);
  });

  it('loss seen at the sender: retransmissions counted in the semantic view with evidence frames', async () => {
    const a = await analyze(resolve(FLOWS, 'loss-capture-at-sender.pcap'));
    const bulk = [...a.flows].sort((x, y) => y.respSide.bytes + y.origSide.bytes - (x.respSide.bytes + x.origSide.bytes))[0];
    const retrans = (bulk.analysis?.retransmissions ?? 0) + (bulk.analysis?.fastRetransmissions ?? 0);
    expect(retrans).toBeGreaterThan(0);
    expect(bulk.evidence?.retransmission?.length ?? bulk.evidence?.fast_retransmission?.length).toBeGreaterThan(0);
    expect(bulk.history).toMatch(/[Tt]/);
  });

  it('zero window: Wireshark calls the probes keep-alives; the semantic view counts zero-window probes', async () => {
    const a = await analyze(resolve(FLOWS, 'zero-window.pcap'));
    const f = a.flows.find((x) => (x.analysis?.zeroWindows ?? 0) > 0);
    expect(f).toBeDefined();
    expect(f?.analysis?.zeroWindowProbes ?? 0).toBeGreaterThan(0);
    expect(f?.analysis?.keepAlives ?? 0).toBe(0);
    expect(f?.history).toMatch(/[Ww]/);
  });

  it('frames captured twice are set aside as duplicates, not a retransmission and a duplicate ACK', async () => {
    // reorder.pcap (hand-built) repeats data frame 24 as frame 25 and ACK frame 27 as frame 28,
    // with the same IPv4 ids: Wireshark labels them retransmission and duplicate_ack.
    const a = await analyze(resolve(FLOWS, 'reorder.pcap'));
    const dup = a.flows.find((f) => (f.analysis?.duplicateFrames ?? 0) > 0);
    expect(dup?.evidence?.duplicate_frame).toEqual([25, 28]);
    expect(dup?.evidence?.retransmission ?? []).not.toContain(25);
    expect(dup?.evidence?.duplicate_ack ?? []).not.toContain(28);
  });

  it('ECN negotiation and ECT marks are recorded per side', async () => {
    const a = await analyze(resolve(DECODE, 'ecn.pcap'));
    const f = a.flows.find((x) => x.proto === 'tcp' && x.ecn?.setupSyn);
    expect(f?.ecn).toEqual({ setupSyn: true, accepted: true });
    const marks = f?.origSide as { ecnMarks: { ect0: number; ce: number } };
    const respMarks = f?.respSide as { ecnMarks: { ect0: number; ce: number } };
    expect(marks.ecnMarks.ect0 + respMarks.ecnMarks.ect0).toBeGreaterThan(0);
  });
});

describe('exchanges', () => {
  it('DNS: answers, NXDOMAIN and SERVFAIL with response times; DNS over TCP too', async () => {
    const a = await analyze(resolve(DECODE, 'dns.pcap'));
    const byName = (n: string) => a.exchanges.dns.find((t) => t.name === n);
    expect(byName('server.netcase.test')).toMatchObject({ status: 'answered', rcode: 0, answers: ['10.78.0.2'] });
    expect(byName('nosuch.netcase.test')).toMatchObject({ status: 'answered', rcode: 3 });
    expect(byName('servfail.netcase.test')).toMatchObject({ rcode: 2 });
    expect(a.exchanges.dns.every((t) => t.status !== 'answered' || t.responseTimeMs >= 0)).toBe(true);
    expect(a.exchanges.dns.some((t) => t.client.includes('10.78.0.1') && t.server.endsWith(':53'))).toBe(true);
  });

  it('NBNS, LLMNR and mDNS transactions are matched', async () => {
    const a = await analyze(resolve(DECODE, 'nbns-llmnr-mdns.pcap'));
    const protocols = new Set(a.exchanges.dns.filter((t) => t.status === 'answered').map((t) => t.protocol));
    expect(protocols).toEqual(new Set(['nbns', 'llmnr', 'mdns']));
  });

  it('TLS 1.2: SNI, versions, the certificate chain in clear, the stage reached', async () => {
    const a = await analyze(resolve(DECODE, 'tls12.pcap'));
    const s = a.exchanges.tls[0];
    expect(s).toMatchObject({ sni: 'server.netcase.test', selectedVersion: 'TLS 1.2', alpnSelected: expect.any(String), stage: 'application_data' });
    expect(s.certificates[0]).toMatchObject({ subject: expect.stringContaining('server.netcase.test'), selfSigned: true });
    expect(s.certificates[0].validTo).toMatch(/^\d{4}-/);
    expect(s.appDataBytes.client + s.appDataBytes.server).toBeGreaterThan(0);
  });

  it('TLS 1.3: negotiated version from supported_versions; the chain is encrypted', async () => {
    const a = await analyze(resolve(DECODE, 'tls13.pcap'));
    const s = a.exchanges.tls[0];
    expect(s.selectedVersion).toBe('TLS 1.3');
    expect(s.offeredVersions).toContain('TLS 1.3');
    expect(s.certificates).toEqual([]);
    expect(s.stage).toBe('application_data');
  });

  it('TLS alert: who sent it, level and description', async () => {
    const a = await analyze(resolve(DECODE, 'tls-alert.pcap'));
    const alerts = a.exchanges.tls.flatMap((s) => s.alerts.filter((x) => !x.encrypted));
    expect(alerts.some((x) => x.from === 'client' && x.level === 2 && x.description === 48)).toBe(true);
    expect(a.exchanges.tls.every((s) => s.notable)).toBe(true);
  });

  it('HTTP: requests paired with responses in order, status and timing; no credentials kept', async () => {
    const a = await analyze(resolve(DECODE, 'http.pcap'));
    const x = a.exchanges.http;
    expect(x.map((e) => [e.method, e.uri, e.status])).toEqual(expect.arrayContaining([['GET', '/index.html', 200], ['GET', '/missing.html', 404], ['POST', '/submit', 200]]));
    expect(x.every((e) => e.responseTimeMs !== null && e.responseTimeMs >= 0)).toBe(true);
    expect(JSON.stringify(a)).not.toMatch(/Authorization:|Cookie:/i);
  });
});

describe('focus and the worker', () => {
  it('--host / --port keep only matching traffic', async () => {
    const a = await analyze(fixture('eth-usec.pcap'), { port: 53 });
    expect(a.flowCount.tcp).toBe(0);
    expect(a.flows.every((f) => f.resp.endsWith(':53'))).toBe(true);
    const b = await analyze(fixture('eth-usec.pcap'), { host: 'fd00:77::2' });
    expect(b.flows.every((f) => f.orig.includes('fd00:77::') || f.resp.includes('fd00:77::'))).toBe(true);
  });

  it('a worker thread (the built dist/ file) gives the same analysis and reports progress', async () => {
    const progress: number[] = [];
    const inProcess = await analyzeFile(fixture('eth-usec.pcap'));
    const { analyzeFile: builtAnalyzeFile } = await import(resolve(import.meta.dirname, '..', '..', 'dist', 'src', 'analysis', 'analyze-file.js'));
    const inWorker = await builtAnalyzeFile(fixture('eth-usec.pcap'), { worker: true, maxOldGenerationMb: 256, onProgress: (p: { frames: number }) => progress.push(p.frames) });
    expect(inWorker).toEqual(inProcess);
  });

  it('a worker turns bad input into the same error the CLI reports', async () => {
    const { analyzeFile: builtAnalyzeFile } = await import(resolve(import.meta.dirname, '..', '..', 'dist', 'src', 'analysis', 'analyze-file.js'));
    await expect(builtAnalyzeFile(fixture('not-a-capture.html'), { worker: true })).rejects.toMatchObject({ name: 'CaptureError', message: expect.stringMatching(/web page/) });
  });
});
