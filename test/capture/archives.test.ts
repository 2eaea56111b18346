import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { constants, deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_ARCHIVE_MEMBERS, MAX_NESTING } from '../../src/capture/limit-bytes.js';
import { fixture, readAll, readOne, refusal } from './helpers.js';
import { buildZip, type ZipEntry } from './zip-builder.js';

/**
 * Hostile and damaged archives (issue 18): every refusal is a CaptureError with a public code and
 * one sentence a person understands, never zlib's or yauzl's own words; whatever can be read is.
 */
const PCAP = readFileSync(fixture('eth-usec.pcap')); // 50 frames
const stream = (bytes: Buffer) => Readable.from([bytes]);
const RAW_LIBRARY_WORDS = /invalid (block type|distance|stored)|too many bytes|not enough bytes|incorrect (header|data)|signature|Z_[A-Z]/;

/** Deflate data that is valid for `good` bytes and then holds a block of the reserved type 3. */
function damagedDeflate(good: Buffer): Buffer {
  const valid = good.length === 0 ? Buffer.alloc(0) : deflateRawSync(good, { finishFlush: constants.Z_SYNC_FLUSH });
  return Buffer.concat([valid, Buffer.from([0x07, 0xff, 0xff, 0xff])]);
}

/** The fixture's 50 frames `times` times over: enough bytes that zlib hands out output before damage. */
function manyFrames(times: number): Buffer {
  return Buffer.concat([PCAP.subarray(0, 24), ...Array.from({ length: times }, () => PCAP.subarray(24))]);
}

/** A pcap of `records` empty records: the cheapest frames there are (a flood). */
function emptyRecords(records: number): Buffer {
  return Buffer.concat([PCAP.subarray(0, 24), Buffer.alloc(records * 16)]);
}

describe('item 2: damaged zip member data is capture.corrupt_compression, in plain words', () => {
  it('damage after some frames: the frames before it are read, with a corrupt_compression warning', async () => {
    const good = manyFrames(40); // 2,000 frames, 317 KB
    const zip = buildZip([{ name: 'trace.pcap', data: manyFrames(41), rawDeflate: damagedDeflate(good) }]);
    const { meta, frames } = await readOne(stream(zip), { name: 'upload.zip' });
    // zlib hands out its output 16 KB at a time; what it held when it met the damage is lost.
    expect(frames.length).toBeGreaterThan(1500);
    expect(frames.length).toBeLessThan(2000);
    const w = meta.warnings.find((x) => x.code === 'capture.corrupt_compression');
    expect(w?.message).toMatch(/^the zip member's compressed data is damaged after \d+ decompressed bytes \(unzip -t shows it\); every whole frame before the damage was read, nothing after it$/);
    expect(w?.message).not.toMatch(RAW_LIBRARY_WORDS);
  });

  it('damage at the start: refused as a whole with corrupt_compression naming the member', async () => {
    const zip = buildZip([{ name: 'trace.pcap', data: PCAP, rawDeflate: damagedDeflate(Buffer.alloc(0)) }]);
    const e = await refusal(stream(zip), { name: 'upload.zip' });
    expect(e.code).toBe('capture.corrupt_compression');
    expect(e.message).toMatch(/^upload\.zip\/trace\.pcap: the compressed data is damaged from its start/);
    expect(e.message).not.toMatch(RAW_LIBRARY_WORDS);
  });

  it('a member longer than the archive says (yauzl: "too many bytes in the stream") is damage too', async () => {
    const zip = buildZip([{ name: 'trace.pcap', data: PCAP, deflate: true, claimedSize: 1000 }]);
    const all = await readAll(stream(zip), { name: 'upload.zip' }).catch((e: Error) => e);
    const warnings = all instanceof Error ? [all.message] : all.flatMap((c) => c.meta.warnings.map((w) => `${w.code} ${w.message}`));
    expect(warnings.join('\n')).toMatch(/corrupt_compression|damaged/);
    expect(warnings.join('\n')).not.toMatch(RAW_LIBRARY_WORDS);
  });

  it('a local header that does not match the table of contents refuses the member in words', async () => {
    const zip = buildZip([{ name: 'trace.pcap', data: PCAP }]);
    zip.writeUInt32LE(0x12345678, 0); // the local header's signature
    const e = await refusal(stream(zip), { name: 'upload.zip' });
    expect(e.message).not.toMatch(RAW_LIBRARY_WORDS);
    expect(e.message.startsWith('upload.zip')).toBe(true);
  });
});

describe('item 3: one budget per upload, across members and nesting, and overlapping entries refused', () => {
  const MB = 1024 * 1024;

  it('members that each fit the cap but together exceed it stop with capture.decompression_limit', async () => {
    const member = emptyRecords(25_000); // 400 KB each, 1.2 MB together
    const zip = buildZip(['a.pcap', 'b.pcap', 'c.pcap'].map((name) => ({ name, data: member, deflate: true })));
    const e = await refusal(stream(zip), { name: 'upload.zip', maxDecompressedBytes: MB });
    expect(e.code).toBe('capture.decompression_limit');
    expect(e.message).toMatch(/^upload\.zip: decompresses to more than 1 MB in all/);
    expect((await readAll(stream(zip), { name: 'upload.zip', maxDecompressedBytes: 2 * MB })).length).toBe(3);
  });

  it('a nested archive shares its parent budget (gzip in zip)', async () => {
    const zip = buildZip([
      { name: 'a.pcap.gz', data: gzipSync(emptyRecords(40_000)) },
      { name: 'b.pcap.gz', data: gzipSync(emptyRecords(40_000)) },
    ]);
    const e = await refusal(stream(zip), { name: 'upload.zip', maxDecompressedBytes: MB });
    expect(e.code).toBe('capture.decompression_limit');
  });

  it('entries pointing at the same compressed bytes are refused before anything is inflated', async () => {
    const kernel = emptyRecords(200_000); // 3.2 MB, deflates to a few KB
    const entries: ZipEntry[] = [{ name: 'bomb0.pcap', data: kernel, deflate: true }];
    for (let i = 1; i < 10; i++) entries.push({ name: `bomb${i}.pcap`, data: kernel, deflate: true, sameDataAs: 0 });
    const zip = buildZip(entries);
    expect(zip.length).toBeLessThan(16 * 1024);
    // The budget would allow one member: the refusal is about the overlap, found before inflating.
    const e = await refusal(stream(zip), { name: 'bomb.zip', maxDecompressedBytes: 4 * MB });
    expect(e.code).toBe('capture.archive_overlap');
    expect(e.message).toMatch(/^bomb\.zip: the zip archive's entries overlap .*refused without unpacking anything$/);
  });

  it(`an archive with more than ${MAX_ARCHIVE_MEMBERS} entries is refused before any is read`, async () => {
    const entries = Array.from({ length: MAX_ARCHIVE_MEMBERS + 1 }, (_, i) => ({ name: `n${i}.txt`, data: Buffer.from('x') }));
    const e = await refusal(stream(buildZip(entries)), { name: 'many.zip' });
    expect(e.code).toBe('capture.archive_limit');
    expect(e.message).toBe('many.zip: holds more than 1,000 archive entries in all (it has at least 1,001); zip fewer files at a time');
  });

  it(`nesting deeper than ${MAX_NESTING} containers is refused; ${MAX_NESTING} levels read`, async () => {
    const inner = buildZip([{ name: 'a.pcap', data: PCAP, deflate: true }]);
    const three = gzipSync(buildZip([{ name: 'a.pcap.gz', data: gzipSync(PCAP) }])); // gzip > zip > gzip > pcap
    expect((await readOne(stream(three), { name: 'ok.zip.gz' })).frames).toHaveLength(50);
    const four = gzipSync(buildZip([{ name: 'inner.zip.gz', data: gzipSync(inner) }])); // gzip > zip > gzip > zip > pcap
    const e = await refusal(stream(four), { name: 'deep.zip.gz' });
    expect(e.code).toBe('capture.archive_limit');
    expect(e.message).toMatch(/^deep\.zip\.gz\/inner\.zip\.gz: archives nested more than 3 deep/);
  });
});

describe('item 7: gzip with bytes after its end keeps every whole member, like gzip -d', () => {
  const gz = readFileSync(fixture('eth.pcap.gz'));

  it('trailing garbage: all 50 frames, and a capture.trailing_data warning', async () => {
    const { meta, frames } = await readOne(stream(Buffer.concat([gz, Buffer.from('this is not gzip data\n')])), { name: 'x.pcap.gz' });
    expect(frames).toHaveLength(50);
    expect(meta.warnings.map((w) => w.code)).toEqual(['capture.trailing_data']);
    expect(meta.warnings[0].message).toMatch(/^the file goes on after the end of the gzip data \(7935 decompressed bytes\) with bytes that are not gzip; they were ignored, as gzip -d does$/);
  });

  it('zero padding after the end is ignored quietly, and concatenated members are one stream', async () => {
    const padded = await readOne(stream(Buffer.concat([gz, Buffer.alloc(512)])), { name: 'x.pcap.gz' });
    expect([padded.frames.length, padded.meta.warnings]).toEqual([50, []]);
    const cat = Buffer.concat([gzipSync(PCAP.subarray(0, 3000)), gzipSync(PCAP.subarray(3000))]);
    const joined = await readOne(stream(cat), { name: 'cat.pcap.gz' });
    expect([joined.frames.length, joined.meta.warnings]).toEqual([50, []]);
  });

  it('a damaged data check is still damage, and a cut-off file still a truncation', async () => {
    const badCrc = Buffer.from(gz);
    badCrc.writeUInt32LE((badCrc.readUInt32LE(gz.length - 8) ^ 1) >>> 0, gz.length - 8);
    const crc = await readOne(stream(badCrc), { name: 'x.pcap.gz' });
    expect(crc.meta.warnings.map((w) => w.code)).toEqual(['capture.corrupt_compression']);
    const cut = await readOne(stream(gz.subarray(0, gz.length - 4)), { name: 'x.pcap.gz' });
    expect(cut.meta.warnings.map((w) => w.code)).toEqual(['capture.truncated_file']);
  });

  it('a zip or Network Monitor file inside such a gzip is read too', async () => {
    const zipped = gzipSync(buildZip([{ name: 'a.pcap', data: PCAP, deflate: true }]));
    const all = await readAll(stream(Buffer.concat([zipped, Buffer.from('garbage')])), { name: 'x.zip.gz' });
    expect(all.map((c) => [c.frames.length, c.meta.warnings.map((w) => w.code)])).toEqual([[50, ['capture.trailing_data']]]);
  });
});

describe('item 9: members whose names leave the archive are skipped with a warning; the rest are read', () => {
  it('reads the safe member and says which were skipped and why', async () => {
    const zip = buildZip([
      { name: '../../etc/evil.pcap', data: PCAP },
      { name: 'good.pcap', data: PCAP, deflate: true },
      { name: '/abs/olute.pcap', data: PCAP },
      { name: 'secret.pcap', data: PCAP, deflate: true, flags: 1 },
    ]);
    const all = await readAll(stream(zip), { name: 'upload.zip' });
    expect(all.map((c) => [c.meta.name, c.frames.length])).toEqual([['upload.zip/good.pcap', 50]]);
    expect(all[0].meta.warnings).toEqual([
      {
        code: 'capture.skipped_member',
        message: '3 zip members were not read: ../../etc/evil.pcap (its name points outside the archive), /abs/olute.pcap (its name points outside the archive), secret.pcap (password-protected)',
        frame: null,
        offset: null,
      },
    ]);
  });

  it('an archive holding only such members says so', async () => {
    const e = await refusal(stream(buildZip([{ name: '../evil.pcap', data: PCAP }])), { name: 'upload.zip' });
    expect([e.code, e.message]).toEqual(['capture.empty_archive', 'upload.zip: the zip archive holds no capture file (entries: ../evil.pcap (its name points outside the archive))']);
  });
});

describe('item 10: a message about an archive stays one short line', () => {
  it('lists the first entries (at most 10, about 500 characters), then how many more; long and control-character names are cut and cleaned', async () => {
    const entries = Array.from({ length: 900 }, (_, i) => ({ name: `${'n'.repeat(300)}${i}\n.txt`, data: Buffer.from('x') }));
    const e = await refusal(stream(buildZip(entries)), { name: 'names.zip' });
    expect(e.code).toBe('capture.empty_archive');
    expect(e.message).toMatch(/\(entries: (n{119}…, ){3}n{119}… and 896 more\)$/);
    expect(e.message).not.toContain('\n');
    expect(e.message.length).toBeLessThan(1400);
  });
});
