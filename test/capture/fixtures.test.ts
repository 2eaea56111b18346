import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCaptures } from '../../src/capture/read-capture.js';
import { summarizeCapture } from '../../src/capture/summarize-capture.js';
import { fixture, readAll, readOne } from './helpers.js';

/**
 * The committed fixtures were made by real Linux stacks in network namespaces
 * (test/fixtures/make-captures.sh); capinfos 4.0's view of each is in test/golden/fixtures-capinfos.json.
 */
const golden: Record<string, { packets?: number; dataBytes?: number; firstTime?: string | null; lastTime?: string | null; dlts?: number[] | null; snaplen?: number; error?: string }> =
  JSON.parse(readFileSync(new URL('../golden/fixtures-capinfos.json', import.meta.url), 'utf8'));

/** capinfos prints seconds with the file's own precision: compare at that many digits. */
function epoch(sec: number, nsec: number, digits: number): string {
  return `${sec}.${String(nsec).padStart(9, '0').slice(0, digits)}`;
}

const readable = Object.entries(golden).filter(([, g]) => g.error === undefined);

describe('fixtures agree with capinfos', () => {
  it.each(readable)('%s: packet count, data bytes, first/last time, link types', async (name, g) => {
    const captures = [];
    for await (const c of readCaptures(fixture(name))) captures.push(await summarizeCapture(c));
    expect(captures).toHaveLength(1);
    const info = captures[0];
    expect(info.packets).toBe(g.packets);
    expect(info.bytes).toBe(g.dataBytes);
    expect(info.linkTypes.map((l) => l.id).sort((a, b) => a - b)).toEqual([...(g.dlts ?? [1])].sort((a, b) => a - b));
    if (g.firstTime == null) {
      expect(info.firstTime).toBeNull();
    } else {
      const digits = g.firstTime.split('.')[1].length;
      const { first, last } = await firstAndLast(name);
      expect(epoch(first[0], first[1], digits)).toBe(g.firstTime);
      expect(epoch(last[0], last[1], digits)).toBe(g.lastTime);
    }
    expect(info.warnings).toEqual([]);
  });
});

async function firstAndLast(name: string): Promise<{ first: [number, number]; last: [number, number] }> {
  const { frames } = await readOne(fixture(name));
  const f = frames[0];
  const l = frames[frames.length - 1];
  return { first: [f.tsSec, f.tsNsec], last: [l.tsSec, l.tsNsec] };
}

describe('the same frames whatever the container', () => {
  it('pcap in both byte orders, pcapng, Network Monitor, gzip and a zip member hold identical frames', async () => {
    const base = await readOne(fixture('eth-usec.pcap'));
    expect(base.frames).toHaveLength(50);
    for (const name of ['eth-usec-be.pcap', 'eth.pcapng', 'eth.netmon2.cap', 'eth.pcap.gz', 'eth.pcapng.gz', 'one-capture.zip']) {
      const other = await readOne(fixture(name));
      expect(other.frames.length, name).toBe(base.frames.length);
      for (let i = 0; i < base.frames.length; i++) {
        const a = base.frames[i];
        const b = other.frames[i];
        expect({ n: b.number, sec: b.tsSec, nsec: b.tsNsec, cap: b.capturedLength, orig: b.originalLength, link: b.linkType }, `${name} frame ${i + 1}`).toEqual({
          n: a.number,
          sec: a.tsSec,
          nsec: a.tsNsec,
          cap: a.capturedLength,
          orig: a.originalLength,
          link: a.linkType,
        });
        expect(Buffer.compare(a.bytes, b.bytes), `${name} frame ${i + 1} bytes`).toBe(0);
      }
    }
  });

  it('reports format and compression for each container', async () => {
    const cases: [string, string, string | null][] = [
      ['eth-usec.pcap', 'pcap', null],
      ['eth.pcapng', 'pcapng', null],
      ['eth.netmon2.cap', 'netmon2', null],
      ['eth.pcap.gz', 'pcap', 'gzip'],
      ['eth.pcapng.gz', 'pcapng', 'gzip'],
      ['one-capture.zip', 'pcapng', 'zip'],
    ];
    for (const [name, format, compression] of cases) {
      const { meta } = await readOne(fixture(name));
      expect([meta.format, meta.compression], name).toEqual([format, compression]);
    }
  });

  it('nanosecond pcap keeps all nine digits', async () => {
    const { frames, meta } = await readOne(fixture('eth-nsec.pcap'));
    expect(meta.interfaces[0].tsResolution).toBe(1e9);
    expect(frames.some((f) => f.tsNsec % 1000 !== 0)).toBe(true);
  });

  it('a stream reads like the file (stdin, a Slack download)', async () => {
    for (const name of ['eth-usec.pcap', 'eth.pcapng', 'eth.pcap.gz', 'eth.netmon2.cap', 'two-captures.zip']) {
      const fromFile = await readAll(fixture(name));
      const fromStream = await readAll(createReadStream(fixture(name)), { name });
      expect(fromStream.map((c) => c.frames.length), name).toEqual(fromFile.map((c) => c.frames.length));
      expect(fromStream.map((c) => c.frames.map((f) => f.tsNsec)), name).toEqual(fromFile.map((c) => c.frames.map((f) => f.tsNsec)));
    }
  });

  it('a stream delivered one byte at a time still yields every frame', async () => {
    const bytes = readFileSync(fixture('eth.pcapng'));
    async function* trickle() {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    const { Readable } = await import('node:stream');
    const { frames } = await readOne(Readable.from(trickle()), { name: 'trickle' });
    expect(frames).toHaveLength(50);
  });
});

describe('several interfaces and archives', () => {
  it('multi-interface pcapng: two link types, frames tagged with their interface', async () => {
    const { meta, frames } = await readOne(fixture('multi-iface.pcapng'));
    expect(meta.interfaces.map((i) => i.linkType)).toEqual([1, 276]);
    expect(new Set(frames.map((f) => `${f.iface}:${f.linkType}`))).toEqual(new Set(['0:1', '1:276']));
    expect(frames).toHaveLength(102);
    expect(frames.map((f) => f.number)).toEqual(frames.map((_, i) => i + 1));
  });

  it('a zip with two captures yields two captures named after their members', async () => {
    const all = await readAll(fixture('two-captures.zip'));
    expect(all.map((c) => [c.meta.name.replace(/^.*\//, ''), c.meta.format, c.meta.compression, c.frames.length])).toEqual([
      ['eth-usec.pcap', 'pcap', 'zip', 50],
      ['eth.pcapng', 'pcapng', 'zip', 50],
    ]);
  });

  it('Linux cooked captures (tcpdump -i any) keep their link types 113 and 276', async () => {
    expect((await readOne(fixture('any-sll.pcap'))).meta.interfaces[0].linkType).toBe(113);
    expect((await readOne(fixture('any-sll2.pcap'))).meta.interfaces[0].linkType).toBe(276);
  });

  it('snaplen-cut frames keep their original length', async () => {
    const { frames, meta } = await readOne(fixture('eth-snap96.pcap'));
    expect(meta.interfaces[0].snaplen).toBe(96);
    const cut = frames.filter((f) => f.originalLength > f.capturedLength);
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.every((f) => f.capturedLength === 96)).toBe(true);
  });
});

describe('link types Linux cannot produce, from tcpdump test captures', () => {
  it.each([
    ['dns-badcookie.pcap', 0],
    ['LINKTYPE_RAW_ipv4.pcap', 101],
    ['LINKTYPE_IPV4.pcap', 228],
    ['LINKTYPE_IPV6.pcap', 229],
  ])('%s has link type %i', async (name, linkType) => {
    const { PUBLIC_CAPTURES } = await import('./helpers.js');
    const { meta, frames } = await readOne(`${PUBLIC_CAPTURES}/${name}`);
    expect(meta.interfaces[0].linkType).toBe(linkType);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((f) => f.linkType === linkType)).toBe(true);
  });
});
