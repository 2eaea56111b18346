import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/capture/detect-format.js';
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

  it('an ETL trace gets the pktmon conversion command', async () => {
    const e = await refusal(Readable.from([etlHead()]), { name: 'trace.etl' });
    expect(e.code).toBe('capture.etl_trace');
    expect(e.message).toContain('pktmon etl2pcap in.etl --out out.pcapng');
    expect(e.message.startsWith('trace.etl: ')).toBe(true);
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
