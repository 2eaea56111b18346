import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/types.js';
import { fixture, readAll, type ReadResult } from './helpers.js';

/**
 * Damaged files: a capture cut at every byte offset, and every length field made to lie.
 * Whatever happens, no exception but a CaptureError escapes, and every whole frame before the
 * damage is read, byte for byte.
 */
const tmp = mkdtempSync(join(tmpdir(), 'netcase-damage-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function tryRead(bytes: Uint8Array, viaFile: boolean): Promise<ReadResult | CaptureError> {
  try {
    let all: ReadResult[];
    if (viaFile) {
      const path = join(tmp, 'damaged');
      writeFileSync(path, bytes);
      all = await readAll(path);
    } else {
      all = await readAll(Readable.from([Buffer.from(bytes)]), { name: 'damaged' });
    }
    return all[0];
  } catch (error) {
    if (error instanceof CaptureError) return error;
    throw error;
  }
}

/** Record boundaries of a little-endian pcap: [start, end) of each record. */
function pcapRecords(b: Buffer): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 24; p + 16 <= b.length; ) {
    const end = p + 16 + b.readUInt32LE(p + 8);
    out.push([p, end]);
    p = end;
  }
  return out;
}

/** Block boundaries of a little-endian pcapng, with whether each block is a packet. */
function pcapngBlocks(b: Buffer): { start: number; end: number; packet: boolean }[] {
  const out = [];
  for (let p = 0; p + 12 <= b.length; ) {
    const len = b.readUInt32LE(p + 4);
    out.push({ start: p, end: p + len, packet: b.readUInt32LE(p) === 6 });
    p += len;
  }
  return out;
}

function expectPrefix(result: ReadResult, full: ReadResult, n: number, label: string): void {
  expect(result.frames.length, label).toBe(n);
  for (let i = 0; i < n; i++) {
    expect(Buffer.compare(result.frames[i].bytes, full.frames[i].bytes), `${label} frame ${i + 1}`).toBe(0);
    expect(result.frames[i].tsNsec, `${label} frame ${i + 1}`).toBe(full.frames[i].tsNsec);
  }
}

describe('a pcap cut at every byte offset', () => {
  const bytes = readFileSync(fixture('eth-usec.pcap'));
  const records = pcapRecords(bytes);

  it('reads every whole frame and warns capture.truncated_file when the cut is inside a record', async () => {
    const full = (await tryRead(bytes, false)) as ReadResult;
    for (let cut = 0; cut <= bytes.length; cut++) {
      const result = await tryRead(bytes.subarray(0, cut), cut % 97 === 0);
      if (cut < 4) {
        expect(result, `cut ${cut}`).toBeInstanceOf(CaptureError);
        continue;
      }
      expect(result, `cut ${cut}`).not.toBeInstanceOf(CaptureError);
      const r = result as ReadResult;
      const whole = records.filter(([, end]) => end <= cut).length;
      expectPrefix(r, full, whole, `cut ${cut}`);
      const onBoundary = cut === 24 || records.some(([, end]) => end === cut);
      const warned = r.meta.warnings.some((w) => w.code === 'capture.truncated_file');
      expect(warned, `cut ${cut}`).toBe(!onBoundary);
    }
  });
});

describe('a pcapng cut at every byte offset', () => {
  const bytes = readFileSync(fixture('eth.pcapng'));
  const blocks = pcapngBlocks(bytes);

  it('reads every whole packet block and warns when the cut is inside a block', async () => {
    const full = (await tryRead(bytes, false)) as ReadResult;
    for (let cut = 4; cut <= bytes.length; cut++) {
      const result = await tryRead(bytes.subarray(0, cut), cut % 97 === 0);
      expect(result, `cut ${cut}`).not.toBeInstanceOf(CaptureError);
      const r = result as ReadResult;
      const whole = blocks.filter((b) => b.packet && b.end <= cut).length;
      expectPrefix(r, full, whole, `cut ${cut}`);
      const onBoundary = blocks.some((b) => b.end === cut);
      expect(r.meta.warnings.some((w) => w.code === 'capture.truncated_file'), `cut ${cut}`).toBe(!onBoundary);
    }
  });
});

describe('lying length fields', () => {
  it('pcap: a captured length no link type allows stops reading with capture.corrupt_record at that frame', async () => {
    const bytes = readFileSync(fixture('eth-usec.pcap'));
    const full = (await tryRead(bytes, false)) as ReadResult;
    const records = pcapRecords(bytes);
    for (let i = 0; i < records.length; i++) {
      for (const lie of [0xffffffff, 262_145, 0x7fffffff]) {
        const damaged = Buffer.from(bytes);
        damaged.writeUInt32LE(lie, records[i][0] + 8);
        const r = (await tryRead(damaged, false)) as ReadResult;
        expectPrefix(r, full, i, `record ${i + 1} caplen ${lie}`);
        const w = r.meta.warnings.find((x) => x.code === 'capture.corrupt_record');
        expect(w, `record ${i + 1}`).toMatchObject({ frame: i + 1, offset: records[i][0] });
        expect(r.meta.stoppedEarly).toBe(true);
      }
    }
  });

  it('pcap: small lies in a captured length never throw and keep the frames before', async () => {
    const bytes = readFileSync(fixture('eth-usec.pcap'));
    const full = (await tryRead(bytes, false)) as ReadResult;
    const records = pcapRecords(bytes);
    for (let i = 0; i < records.length; i++) {
      for (const delta of [-1, 1, 7, 100000]) {
        const damaged = Buffer.from(bytes);
        damaged.writeUInt32LE(Math.max(0, damaged.readUInt32LE(records[i][0] + 8) + delta), records[i][0] + 8);
        const r = (await tryRead(damaged, false)) as ReadResult;
        expect(r.frames.length).toBeGreaterThanOrEqual(i);
        expectPrefix({ ...r, frames: r.frames.slice(0, i) }, full, i, `record ${i + 1} caplen ${delta > 0 ? '+' : ''}${delta}`);
      }
    }
  });

  it('pcapng: block lengths that cannot be true stop reading with capture.corrupt_record', async () => {
    const bytes = readFileSync(fixture('eth.pcapng'));
    const full = (await tryRead(bytes, false)) as ReadResult;
    const blocks = pcapngBlocks(bytes);
    for (const [index, block] of blocks.entries()) {
      for (const lie of [0, 8, 13, 0xfffffff0]) {
        const damaged = Buffer.from(bytes);
        damaged.writeUInt32LE(lie, block.start + 4);
        const r = (await tryRead(damaged, index % 5 === 0)) as ReadResult;
        const before = blocks.filter((b) => b.packet && b.end <= block.start).length;
        expectPrefix(r, full, before, `block ${index} length ${lie}`);
        expect(r.meta.warnings.map((w) => w.code), `block ${index} length ${lie}`).toContain('capture.corrupt_record');
      }
    }
  });

  it('pcapng: packet captured lengths that overrun their block stop reading', async () => {
    const bytes = readFileSync(fixture('eth.pcapng'));
    const full = (await tryRead(bytes, false)) as ReadResult;
    const blocks = pcapngBlocks(bytes);
    let n = 0;
    for (const block of blocks.filter((b) => b.packet)) {
      const damaged = Buffer.from(bytes);
      damaged.writeUInt32LE(block.end - block.start, block.start + 20);
      const r = (await tryRead(damaged, false)) as ReadResult;
      expectPrefix(r, full, n, `packet ${n + 1}`);
      expect(r.meta.warnings[0]).toMatchObject({ code: 'capture.corrupt_record', frame: n + 1, offset: block.start });
      n++;
    }
  });

  it('Network Monitor: a lying frame table or record length never throws', async () => {
    const bytes = readFileSync(fixture('eth.netmon2.cap'));
    const full = (await tryRead(bytes, true)) as ReadResult;
    const tableOffset = bytes.readUInt32LE(24);
    const tableLength = bytes.readUInt32LE(28);
    for (let i = 0; i < tableLength / 4; i++) {
      const at = bytes.readUInt32LE(tableOffset + i * 4);
      const damaged = Buffer.from(bytes);
      damaged.writeUInt32LE(0xffffff00, at + 12); // captured length
      const r = (await tryRead(damaged, true)) as ReadResult;
      expectPrefix(r, full, i, `netmon frame ${i + 1}`);
      expect(r.meta.warnings.map((w) => w.code)).toContain('capture.corrupt_record');
      const pointsAway = Buffer.from(bytes);
      pointsAway.writeUInt32LE(bytes.length + 1000, tableOffset + i * 4);
      const r2 = (await tryRead(pointsAway, true)) as ReadResult;
      expectPrefix(r2, full, i, `netmon table entry ${i + 1}`);
      expect(r2.meta.warnings.map((w) => w.code)).toContain('capture.truncated_file');
    }
    const cut = (await tryRead(bytes.subarray(0, tableOffset + 2), true)) as ReadResult;
    expect(cut.frames).toHaveLength(0);
    expect(cut.meta.warnings[0].code).toBe('capture.truncated_file');
  });
});
