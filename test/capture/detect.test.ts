import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectFormat, etlKind } from '../../src/capture/detect-format.js';
import { buildEtl, NDISCAP_PROVIDER, PKTMON_PROVIDER } from './etl-builder.js';
import { fixture, readAll, readOne, refusal } from './helpers.js';
import { buildStoredZip } from './zip-builder.js';

/** A minimal ETL file head: WMI buffer header (72 bytes) + system trace header + logfile header. */
function etlHead(): Buffer {
  const b = Buffer.alloc(4096);
  b.writeUInt32LE(65536, 0); // BufferSize
  b.writeUInt32LE(4096, 4); // SavedOffset
  b.writeUInt32LE(4096, 8); // CurrentOffset
  b.writeUInt16LE(2, 0x48); // system trace header: version
  b[0x48 + 2] = 0x02; // header type: system64
  b[0x48 + 3] = 0xc0; // TRACE_HEADER_FLAG | TRACE_HEADER_EVENT_TRACE
  b.writeUInt32LE(65536, 0x48 + 0x20); // TRACE_LOGFILE_HEADER.BufferSize
  return b;
}

describe('format detection by content', () => {
  it('names each container from its first bytes, whatever the file is called', () => {
    expect(detectFormat(readFileSync(fixture('eth-usec.pcap')))).toBe('pcap');
    expect(detectFormat(readFileSync(fixture('eth-usec-be.pcap')))).toBe('pcap');
    expect(detectFormat(readFileSync(fixture('eth-nsec.pcap')))).toBe('pcap');
    expect(detectFormat(readFileSync(fixture('eth.pcapng')))).toBe('pcapng');
    expect(detectFormat(readFileSync(fixture('eth.netmon2.cap')))).toBe('netmon2');
    expect(detectFormat(readFileSync(fixture('eth.pcap.gz')))).toBe('gzip');
    expect(detectFormat(readFileSync(fixture('two-captures.zip')))).toBe('zip');
    expect(detectFormat(readFileSync(fixture('not-a-capture.html')))).toBe('html');
    expect(detectFormat(etlHead())).toBe('etl');
    expect(detectFormat(readFileSync(fixture('random.bin')))).toBe('unknown');
    expect(detectFormat(new Uint8Array(0))).toBe('empty');
  });

  it('an ETL trace that does not say which tool wrote it gets both conversions, each named', async () => {
    const e = await refusal(Readable.from([etlHead()]), { name: 'trace.etl' });
    expect(e.code).toBe('capture.etl_trace');
    expect(e.message).toBe(
      'trace.etl: this is a Windows ETL trace, not a packet capture: convert it on Windows, a pktmon trace with `pktmon etl2pcap trace.etl --out trace.pcapng` (Windows 10 2004 or later), ' +
        "a `netsh trace` file with Microsoft's etl2pcapng (github.com/microsoft/etl2pcapng), `etl2pcapng.exe trace.etl trace.pcapng`, and upload the .pcapng",
    );
  });

  it('a web page is called a web page', async () => {
    const e = await refusal(fixture('not-a-capture.html'));
    expect(e.code).toBe('capture.web_page');
    expect(e.message).toMatch(/not-a-capture\.html: this is a web page, not a capture/);
  });

  it('anything else says it is not a capture and shows its first bytes', async () => {
    const bytes = readFileSync(fixture('random.bin'));
    const e = await refusal(fixture('random.bin'));
    expect(e.code).toBe('capture.not_a_capture');
    const hex = Array.from(bytes.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ');
    expect(e.message).toBe(`${fixture('random.bin')}: not a capture file (first bytes: ${hex})`);
  });

  it('an empty file, a missing file and a directory are named as such', async () => {
    expect((await refusal(Readable.from([]), { name: 'nothing' })).message).toBe('nothing: the file is empty');
    expect((await refusal('/nonexistent/x.pcap')).message).toBe('/nonexistent/x.pcap: no such file');
    expect((await refusal(fixture(''))).message).toMatch(/is a directory/);
  });

  it('a zip holding no capture lists what it holds', async () => {
    const zip = buildStoredZip([['notes.txt', Buffer.from('hello')]]);
    const e = await refusal(Readable.from([zip]), { name: 'upload.zip' });
    expect(e.code).toBe('capture.empty_archive');
    expect(e.message).toBe('upload.zip: the zip archive holds no capture file (entries: notes.txt)');
  });
});

describe('decompression', () => {
  it('stops a gzip bomb at NETCASE_MAX_DECOMPRESSED_MB with capture.decompression_limit', async () => {
    const pcapHeader = readFileSync(fixture('eth-usec.pcap')).subarray(0, 24);
    const bomb = gzipSync(Buffer.concat([pcapHeader, Buffer.alloc(8 * 1024 * 1024)]));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const e = await refusal(Readable.from([bomb]), { name: 'bomb.pcap.gz', maxDecompressedBytes: 1024 * 1024 });
    expect(e.code).toBe('capture.decompression_limit');
    expect(e.message).toMatch(/^bomb\.pcap\.gz: .*more than 1 MB/);
  });

  it('a gzip file cut short yields the whole frames before the cut and capture.truncated_file', async () => {
    const gz = readFileSync(fixture('eth.pcap.gz'));
    const cut = gz.subarray(0, Math.floor(gz.length * 0.7));
    const { frames, meta } = await readOne(Readable.from([cut]), { name: 'cut.pcap.gz' });
    const full = await readOne(fixture('eth-usec.pcap'));
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThan(full.frames.length);
    frames.forEach((f, i) => expect(Buffer.compare(f.bytes, full.frames[i].bytes)).toBe(0));
    expect(meta.warnings.map((w) => w.code)).toContain('capture.truncated_file');
  });

  it('gzip of a zip member and a zip inside a stream both read', async () => {
    const inner = readFileSync(fixture('eth.pcap.gz'));
    const zip = buildStoredZip([['README.txt', Buffer.from('notes')], ['trace.pcap.gz', inner]]);
    const all = await readAll(Readable.from([zip]), { name: 'upload.zip' });
    expect(all.map((c) => [c.meta.name, c.meta.format, c.meta.compression, c.frames.length])).toEqual([['upload.zip/trace.pcap.gz', 'pcap', 'gzip', 50]]);
  });
});

describe('ETL traces: the conversion that fits, told by content (synthetic traces: etl-builder.ts)', () => {
  it('the session name in the logfile header decides: "PktMon" is pktmon, "NetTrace" is netsh trace, with either pointer size', () => {
    for (const pointerSize of [8, 4] as const) {
      expect(etlKind(buildEtl({ logger: 'PktMon', logFile: 'C:\\PktMon.etl', pointerSize }))).toBe('pktmon');
      expect(etlKind(buildEtl({ logger: 'NetTrace', logFile: 'C:\\Users\\a\\AppData\\Local\\Temp\\NetTraces\\NetTrace.etl', pointerSize }))).toBe('netsh');
    }
    // The session name decides even when the file was saved under the other tool's default name.
    expect(etlKind(buildEtl({ logger: 'PktMon', logFile: 'C:\\NetTrace.etl' }))).toBe('pktmon');
    for (const o of [{ logger: 'PktMon' }, { logger: 'NetTrace' }, {}]) expect(detectFormat(buildEtl(o))).toBe('etl');
  });

  it('another session name: the packet provider of the first events decides, or the default file name', () => {
    expect(etlKind(buildEtl({ logger: 'MyCapture', providers: [NDISCAP_PROVIDER] }))).toBe('netsh');
    expect(etlKind(buildEtl({ logger: 'MyCapture', providers: [PKTMON_PROVIDER] }))).toBe('pktmon');
    expect(etlKind(buildEtl({ logger: 'MyCapture', logFile: 'D:\\traces\\nettrace.etl' }))).toBe('netsh');
    // Both providers, or none: it cannot tell.
    expect(etlKind(buildEtl({ logger: 'MyCapture', providers: [NDISCAP_PROVIDER, PKTMON_PROVIDER] }))).toBe('unknown');
    expect(etlKind(buildEtl({ logger: 'MyCapture' }))).toBe('unknown');
    expect(etlKind(etlHead())).toBe('unknown');
  });

  it('a pktmon trace gets pktmon etl2pcap, a netsh trace file etl2pcapng, named after the upload', async () => {
    const pktmon = await refusal(Readable.from([buildEtl({ logger: 'PktMon' })]), { name: 'PktMon.etl' });
    expect([pktmon.code, pktmon.message]).toEqual([
      'capture.etl_trace',
      'PktMon.etl: this is a pktmon trace (Windows ETL), not a packet capture: convert it on Windows 10 2004 or later with `pktmon etl2pcap PktMon.etl --out PktMon.pcapng` and upload the .pcapng',
    ]);
    const netsh = await refusal(Readable.from([buildEtl({ logger: 'NetTrace' })]), { name: 'server 2 trace.etl' });
    expect([netsh.code, netsh.message]).toEqual([
      'capture.etl_trace',
      "server 2 trace.etl: this is a `netsh trace` file (Windows ETL), not a packet capture: convert it with Microsoft's etl2pcapng (github.com/microsoft/etl2pcapng), `etl2pcapng.exe \"server 2 trace.etl\" \"server 2 trace.pcapng\"`, and upload the .pcapng",
    ]);
  });

  it('a file is looked at past its first 4 KB for the providers (a stream only in the chunks that make its first 4 KB)', async () => {
    const trace = buildEtl({ logger: 'MyCapture', providers: [NDISCAP_PROVIDER], firstEventAt: 20_000 });
    const dir = mkdtempSync(join(tmpdir(), 'netcase-etl-'));
    try {
      writeFileSync(join(dir, 'trace.etl'), trace);
      expect((await refusal(join(dir, 'trace.etl'))).message).toContain('`etl2pcapng.exe trace.etl trace.pcapng`');
      expect((await refusal(join(dir, 'trace.etl'))).message).not.toContain('pktmon etl2pcap');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const chunks = Array.from({ length: trace.length / 1024 }, (_, i) => trace.subarray(i * 1024, (i + 1) * 1024));
    expect((await refusal(Readable.from(chunks), { name: 'trace.etl' })).message).toMatch(/a pktmon trace with .* a `netsh trace` file with/);
  });

  it('a zip holding only an ETL trace gets its conversion rather than "no capture file"', async () => {
    const zip = buildStoredZip([['notes.txt', Buffer.from('hello')], ['logs/PktMon.etl', buildEtl({ logger: 'PktMon' })]]);
    const e = await refusal(Readable.from([zip]), { name: 'upload.zip' });
    expect(e.code).toBe('capture.etl_trace');
    expect(e.message).toBe('upload.zip/logs/PktMon.etl: this is a pktmon trace (Windows ETL), not a packet capture: convert it on Windows 10 2004 or later with `pktmon etl2pcap PktMon.etl --out PktMon.pcapng` and upload the .pcapng');
  });
});

describe('a file cut short says to upload the whole file', () => {
  it('a gzip file cut before anything decompresses', async () => {
    const gz = readFileSync(fixture('eth.pcap.gz'));
    const e = await refusal(Readable.from([gz.subarray(0, 14)]), { name: 'cut.pcap.gz' });
    expect([e.code, e.message]).toEqual(['capture.corrupt_compression', 'cut.pcap.gz: the compressed data ends before anything could be decompressed (the file was cut off); upload the whole file']);
  });

  it('a zip cut before its table of contents', async () => {
    const zip = readFileSync(fixture('two-captures.zip'));
    const e = await refusal(Readable.from([zip.subarray(0, Math.floor(zip.length / 2))]), { name: 'cut.zip' });
    expect([e.code, e.message]).toEqual(['capture.not_a_capture', 'cut.zip: not a readable zip archive: its table of contents at the end of the file is missing or damaged; if the file was cut short, upload the whole file']);
  });

  it('a gzipped zip cut part way (a zip is read only whole)', async () => {
    const gz = gzipSync(buildStoredZip([['multi-iface.pcapng', readFileSync(fixture('multi-iface.pcapng'))]]));
    const e = await refusal(Readable.from([gz.subarray(0, Math.floor(gz.length * 0.7))]), { name: 'cut.zip.gz' });
    expect(e.code).toBe('capture.corrupt_compression');
    expect(e.message).toMatch(/^cut\.zip\.gz: the gzip data ends early, after \d+ decompressed bytes \(the \.gz file was cut off\); nothing was read, because what it holds is read only whole; upload the whole file$/);
  });
});
