import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import { drawPictures, type Picture } from '../../src/pictures/draw.js';
import { netcase } from '../cli/run.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const F = (...p: string[]) => resolve(ROOT, 'test', 'fixtures', ...p);

async function pictures(file: string): Promise<Picture[]> {
  const [analysis] = await analyzeFile(file);
  return drawPictures(file, analysis);
}

const count = (svg: string, pattern: RegExp) => (svg.match(pattern) ?? []).length;
const framesWith = (svg: string, cls: string) => [...svg.matchAll(new RegExp(`<g class="[^"]*\\b${cls}\\b[^"]*" data-frame="(\\d+)"`, 'g'))].map((m) => Number(m[1]));

/** Decodes a PNG far enough to prove it is whole: signature, IHDR, and IDAT inflating to every row. */
function decodePng(png: Buffer): { width: number; height: number; colorType: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      colorType = data[9];
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : colorType === 4 ? 2 : 1;
  expect(inflateSync(Buffer.concat(idat)).length).toBe(height * (1 + width * channels));
  return { width, height, colorType };
}

describe('pictures of the top finding', () => {
  it('ECN SYN-ACK black hole: a ladder with every frame of the connection, retransmissions marked, the gaps, the evidence frame', async () => {
    const [ladder, ...rest] = await pictures(F('scenarios', 'ecn-synack-blackhole.pcap'));
    expect(rest).toEqual([]);
    expect(ladder).toMatchObject({ kind: 'ladder', code: 'tcp.ecn_synack_blackhole', name: 'ladder-tcp.ecn_synack_blackhole', width: 1400, height: 800 });
    const svg = ladder.svg;
    expect(svg).toContain('<title>tcp.ecn_synack_blackhole: 10.81.1.1:44658 ⇄ 10.81.2.2:7002</title>');
    expect(count(svg, /<g class="arrow/g)).toBe(16);
    expect(framesWith(svg, 'evidence')).toEqual([4]);
    expect(framesWith(svg, 'retransmission')).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 18, 19, 20]);
    expect(svg).toContain('>SYN, ECE, CWR  seq=0  len=0  to 10.81.2.2:7002</text>');
    expect(svg).toContain('>SYN, ACK, ECE  seq=0  ack=1  len=0</text>');
    expect(count(svg, /<g class="gap"/g)).toBe(6);
    expect(svg).toContain('gap: 2.02 s with no frames');
    expect(decodePng(ladder.png)).toEqual({ width: 1400, height: 800, colorType: 6 });
    expect(ladder.alt).toMatch(/^Ladder diagram for tcp\.ecn_synack_blackhole \(.+\): 16 frames between 10\.81\.1\.1:44658 and 10\.81\.2\.2:7002, #3 to #20 over 7\.12 s, 14 retransmission\(s\) in red; evidence frames 4 highlighted\.$/);
  });

  it('short-name suffix search: the lookup chain (DNS, LLMNR, NBNS) and the connection it delayed', async () => {
    const [ladder] = await pictures(F('scenarios', 'short-name-suffix.pcap'));
    const svg = ladder.svg;
    expect(ladder.code).toBe('dns.suffix_search_exhaustion');
    expect(count(svg, /<g class="arrow/g)).toBe(22);
    expect(framesWith(svg, 'evidence')).toEqual([3, 4, 7, 8]);
    for (const label of ['DNS query A reports.corp.example  (10.80.1.1 &gt; ', 'DNS NXDOMAIN reports.lab.example  (', 'LLMNR query A reports  (', 'NBNS name query REPORTS&lt;00&gt;  (', 'DNS answer A reports.sales.example  (', 'SYN  seq=0  len=0  to ']) expect(svg).toContain(`>${label}`);
    expect(svg.lastIndexOf('data-frame="24"')).toBeGreaterThan(svg.lastIndexOf('data-frame="23"'));
    expect(decodePng(ladder.png).width).toBe(1400);
  });

  it('a long exchange keeps at most 30 arrows: the start, the end and the evidence frames, the rest elided', async () => {
    const [ladder] = await pictures(F('scenarios', 'tls-client-abort-mid-download.pcap'));
    const svg = ladder.svg;
    expect(count(svg, /<g class="arrow/g)).toBe(30);
    // Both evidence frames stay, even the one deep in the middle of the download.
    expect(framesWith(svg, 'evidence')).toEqual([12, 188]);
    const elided = [...svg.matchAll(/… (\d+) frames elided \(#(\d+) to #(\d+)\) …/g)].map((m) => Number(m[1]));
    expect(elided.length).toBeGreaterThanOrEqual(2);
    expect(elided.reduce((a, b) => a + b, 0)).toBe(241 - 30);
    expect(svg).toContain('241 frame(s) from #3 to #243, 211 elided (the start, the end and the evidence frames are kept)');
  });

  it('transfer findings add a time-sequence graph: segments, retransmissions, the ACK and window lines, zero-window periods', async () => {
    const loss = await pictures(F('flows', 'loss-capture-at-sender.pcap'));
    expect(loss.map((p) => p.name)).toEqual(['ladder-tcp.retransmission_rate', 'tseq-tcp.retransmission_rate']);
    const tseq = loss[1].svg;
    expect(framesWith(tseq, 'retransmission')).toHaveLength(10);
    expect(count(tseq, /<g class="segment/g)).toBe(291);
    expect(tseq).toContain('class="ack-line"');
    expect(tseq).toContain('class="window-line"');
    expect(tseq).toContain('>time (s since capture start)</text>');
    expect(tseq).toContain('>relative sequence number (bytes)</text>');
    expect(decodePng(loss[1].png)).toEqual({ width: 1400, height: 800, colorType: 6 });
    const zero = await pictures(F('flows', 'zero-window.pcap'));
    expect(zero[1].name).toBe('tseq-tcp.zero_window');
    expect(count(zero[1].svg, /<rect class="zero-window"/g)).toBeGreaterThanOrEqual(1);
    expect(zero[1].alt).toMatch(/^Time-sequence graph for tcp\.zero_window: \d+ data segments \(\d+ bytes\) sent by 10\.79\.0\.1:35536, 0 retransmitted/);
  });

  it('a slow first request: the server\'s own story between the evidence frames (its reverse lookup, NBNS probes, the late answer)', async () => {
    // The top finding is the cause (the first-request penalty defers to the reverse-lookup stall):
    // its ladder runs from the server's PTR query through the NBNS probes to the late answer.
    const [ladder] = await pictures(F('scenarios', 'nbns-during-ptr-stall.pcap'));
    expect(ladder.code).toBe('dns.ptr_lookup_stall');
    expect(count(ladder.svg, /<g class="arrow/g)).toBe(7);
    expect(framesWith(ladder.svg, 'evidence')).toEqual([10, 11, 13, 16]);
    for (const label of ['DNS query PTR 1.1.81.10.in-addr.arpa  (10.81.2.2 &gt; 10.81.3.53)', 'NBNS node status query  (10.81.2.2 &gt; 10.81.1.1)', 'ICMP port unreachable  (10.81.1.1 &gt; 10.81.2.2)', 'DNS answer PTR 1.1.81.10.in-addr.arpa  (10.81.3.53 &gt; 10.81.2.2)']) expect(ladder.svg).toContain(`>${label}</text>`);
  });

  it('every scenario capture with findings gets at least one picture, a whole PNG with alt text', async () => {
    const dir = F('scenarios');
    const drawn: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.pcap')).sort()) {
      const [analysis] = await analyzeFile(join(dir, file));
      const ps = await drawPictures(join(dir, file), analysis);
      if (analysis.findings.length === 0) continue;
      expect([file, ps.length > 0]).toEqual([file, true]);
      for (const p of ps) {
        expect(decodePng(p.png)).toMatchObject({ width: 1400, height: 800 });
        expect(p.svg).toContain(`<title>${p.code}`);
        expect(p.alt.length).toBeGreaterThan(40);
      }
      drawn.push(file);
    }
    expect(drawn.length).toBeGreaterThanOrEqual(23);
  });

  it('names from the capture are escaped in the SVG', async () => {
    const [ladder] = await pictures(F('scenarios', 'short-name-suffix.pcap'));
    expect(ladder.svg).not.toMatch(/<00>/);
  });
});

describe('netcase analyze --draw DIR', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netcase-draw-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes ladder-<code> and tseq-<code> as PNG and SVG, saying what each shows', () => {
    const r = netcase(['analyze', F('scenarios', 'pmtu-blackhole-server.pcap'), '--draw', join(dir, 'out')]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['ladder-tcp.pmtud_blackhole.png', 'ladder-tcp.pmtud_blackhole.svg', 'tseq-tcp.pmtud_blackhole.png', 'tseq-tcp.pmtud_blackhole.svg']);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('netcase: wrote '))).toHaveLength(2);
    expect(decodePng(readFileSync(join(dir, 'out', 'tseq-tcp.pmtud_blackhole.png')))).toEqual({ width: 1400, height: 800, colorType: 6 });
  });

  it('needs a file (it reads the capture twice) and a folder', () => {
    const stdin = netcase(['analyze', '-', '--draw', dir], {}, readFileSync(F('scenarios', 'slow-server.pcap')));
    expect([stdin.code, stdin.stderr]).toEqual([2, 'netcase: --draw reads the capture a second time, so it needs a file, not standard input (usage: netcase analyze FILE [--json] [--symptom TEXT] [--host IP] [--port N] [--all-flows] [--save] [--draw DIR] [--max-seconds N])\n']);
    const file = netcase(['analyze', F('scenarios', 'slow-server.pcap'), '--draw', F('scenarios', 'slow-server.pcap')]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/^netcase: --draw .*slow-server\.pcap: not a folder/);
  });
});
