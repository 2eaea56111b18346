import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants, deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture } from '../capture/helpers.js';
import { buildZip, type ZipEntry } from '../capture/zip-builder.js';
import { runInProcess, type Run } from './run.js';

/**
 * The bombs and hostile files of issue 18 through the CLI entry, in process: what a user sees is
 * exit 0 (read, with warnings) or exit 2 with one line on stderr naming the file as given, never an
 * internal error, a stack trace or a library's raw message.
 */
const tmp = mkdtempSync(join(tmpdir(), 'netcase-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const PCAP = readFileSync(fixture('eth-usec.pcap'));

function file(name: string, bytes: Buffer): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

function expectRefusal(r: Run, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at |invalid (block type|distance)|too many bytes in the stream|Z_[A-Z]+/);
}

describe('damaged zip member data (item 2)', () => {
  it('damaged from the start: exit 2, one line in plain words naming the member', async () => {
    const zip = file('damaged.zip', buildZip([{ name: 'trace.pcap', data: PCAP, rawDeflate: Buffer.from([0x07, 0xff, 0xff]) }]));
    expectRefusal(await runInProcess(['analyze', zip, '--json']), /^netcase: .*damaged\.zip\/trace\.pcap: the compressed data is damaged from its start/);
  });

  it('damaged part way: what was read is printed, then one line and exit 2', async () => {
    const many = Buffer.concat([PCAP.subarray(0, 24), ...Array.from({ length: 40 }, () => PCAP.subarray(24))]);
    const deflated = Buffer.concat([deflateRawSync(many, { finishFlush: constants.Z_SYNC_FLUSH }), Buffer.from([0x07, 0xff])]);
    const zip = file('damaged-late.zip', buildZip([{ name: 'trace.pcap', data: many, rawDeflate: deflated }]));
    const r = await runInProcess(['info', zip, '--json']);
    expectRefusal(r, /damaged-late\.zip\/trace\.pcap: the zip member's compressed data is damaged after \d+ decompressed bytes/);
    expect(JSON.parse(r.stdout).packets).toBeGreaterThan(1500);
  });
});

describe('one stderr line, whatever the archive holds (found by the fuzz test)', () => {
  it('decode: a damaged first capture and an unreadable second member give one line, the unreadable one', async () => {
    const lying = Buffer.from(PCAP);
    lying.writeUInt32LE(0xffffffff, 24 + 16 + PCAP.readUInt32LE(24 + 8) + 8); // frame 2's captured length
    const zip = buildZip([{ name: 'a.pcap', data: lying }, { name: 'b.pcap', data: PCAP }]);
    zip.writeUInt32LE(0x12345678, 30 + 'a.pcap'.length + lying.length); // b.pcap's local header signature
    const r = await runInProcess(['decode', file('two-bad.zip', zip), '--json']);
    expectRefusal(r, /two-bad\.zip\/b\.pcap: this zip member is damaged/);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1); // frame 1 of a.pcap
  });
});

describe('bombs (items 3 and 5)', () => {
  it('overlapping entries: refused before inflating', async () => {
    const kernel = Buffer.concat([PCAP.subarray(0, 24), Buffer.alloc(16 * 200_000)]);
    const entries: ZipEntry[] = Array.from({ length: 10 }, (_, i) => ({ name: `b${i}.pcap`, data: kernel, deflate: true, ...(i > 0 ? { sameDataAs: 0 } : {}) }));
    expectRefusal(await runInProcess(['analyze', file('overlap.zip', buildZip(entries))]), /overlap\.zip: the zip archive's entries overlap/);
  });

  it('100,000 tiny captures: refused at once with capture.archive_limit, in little time and memory', async () => {
    const tiny = PCAP.subarray(0, 24 + 16 + PCAP.readUInt32LE(24 + 8));
    const zip = file('many.zip', buildZip(Array.from({ length: 100_000 }, (_, i) => ({ name: `c${i}.pcap`, data: tiny }))));
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const r = await runInProcess(['analyze', zip, '--json']);
    expectRefusal(r, /many\.zip: holds more than 1,000 archive entries in all/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });
});

describe('gzip trailing garbage and unsafe member names are read with a warning (items 7 and 9)', () => {
  it('trailing garbage: exit 0, every frame, capture.trailing_data in warnings', async () => {
    const gz = file('trailing.pcap.gz', Buffer.concat([readFileSync(fixture('eth.pcap.gz')), Buffer.from('<html>oops</html>')]));
    const r = await runInProcess(['analyze', gz, '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const { capture } = JSON.parse(r.stdout);
    expect([capture.packets, capture.warnings.map((w: { code: string }) => w.code)]).toEqual([50, ['capture.trailing_data']]);
  });

  it('a member named ../: the safe member is analysed, the other skipped with a warning', async () => {
    const zip = file('traversal.zip', buildZip([{ name: '../../x.pcap', data: PCAP }, { name: 'ok.pcap', data: PCAP }]));
    const r = await runInProcess(['analyze', zip, '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const { capture } = JSON.parse(r.stdout);
    expect(capture.file).toBe(`${zip}/ok.pcap`);
    expect(capture.warnings[0].message).toBe('1 zip member was not read: ../../x.pcap (its name points outside the archive)');
  });
});

describe('error lines stay short (item 10)', () => {
  it('a zip of 900 long non-capture names: one line that names a few and counts the rest', async () => {
    const zip = file('names.zip', buildZip(Array.from({ length: 900 }, (_, i) => ({ name: `notes-${'x'.repeat(100)}-${i}.txt`, data: Buffer.from('.') }))));
    const r = await runInProcess(['info', zip]);
    expectRefusal(r, /names\.zip: the zip archive holds no capture file \(entries: .* and 89\d more\)\n$/);
    expect(r.stderr.length).toBeLessThan(1500);
  });

  it('any error line is cut at 1,000 characters and says how much was left out', async () => {
    const r = await runInProcess(['info', join(tmp, 'x'.repeat(5000))]);
    expectRefusal(r, /… \(\d+ more characters\)\n$/);
    expect(r.stderr.length).toBeLessThan(1100);
  });
});

/** An endless pcap of empty records arriving as from a pipe: a flood no file size bounds. */
function flood(): Readable {
  let first = true;
  return new Readable({
    read() {
      const records = Buffer.alloc(1024 * 1024);
      const chunk = first ? Buffer.concat([PCAP.subarray(0, 24), records]) : records;
      first = false;
      setImmediate(() => this.push(chunk));
    },
  });
}

describe('analyze --max-seconds and NETCASE_MAX_ANALYSIS_S (item 11)', () => {
  it('an endless flood stops at the limit: what was analysed is printed, one line, exit 2', async () => {
    const started = Date.now();
    const r = await runInProcess(['analyze', '-', '--json', '--max-seconds', '0.5'], {}, flood());
    expect(Date.now() - started).toBeLessThan(10_000);
    expectRefusal(r, /^netcase: stdin: the analysis stopped at its time limit of 0\.5 s \(--max-seconds, NETCASE_MAX_ANALYSIS_S\); the output covers the first \d+ frames\n$/);
    const { capture } = JSON.parse(r.stdout);
    expect(capture.packets).toBeGreaterThan(1000);
    expect(capture.warnings.map((w: { code: string }) => w.code)).toContain('capture.time_limit');
  });

  it('the limit defaults to NETCASE_MAX_ANALYSIS_S; an empty value counts as unset; bad values are usage errors', async () => {
    const started = Date.now();
    const r = await runInProcess(['analyze', '-'], { NETCASE_MAX_ANALYSIS_S: '1' }, flood());
    expect(Date.now() - started).toBeLessThan(10_000);
    expectRefusal(r, /time limit of 1 s/);
    expect((await runInProcess(['analyze', fixture('eth-usec.pcap')], { NETCASE_MAX_ANALYSIS_S: '' })).code).toBe(0);
    expectRefusal(await runInProcess(['analyze', fixture('eth-usec.pcap'), '--max-seconds', 'soon']), /--max-seconds takes a number of seconds above 0/);
    expectRefusal(await runInProcess(['analyze', fixture('eth-usec.pcap')], { NETCASE_MAX_ANALYSIS_S: '-3' }), /NETCASE_MAX_ANALYSIS_S="-3" is not a positive whole number/);
  });
});
