#!/usr/bin/env node
// Streams a classic pcap (little-endian, microsecond) into a pcapng copy truncated to SNAPLEN:
// one SHB, one IDB (snaplen SNAPLEN, default microsecond resolution), one EPB per frame with
// captured length min(len, SNAPLEN) and the original length kept.
//
//   node bench/to-snaplen-pcapng.mjs IN.pcap OUT.pcapng [SNAPLEN=128]
import { closeSync, openSync, readSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { PcapngWriter } from './lib/capture-writers.mjs';

const READ_BUFFER_BYTES = 8 * 1024 * 1024;
const PCAP_GLOBAL_HEADER_BYTES = 24;
const PCAP_RECORD_HEADER_BYTES = 16;
const PCAP_MAGIC_MICROS_LE = 0xa1b2c3d4;

export function convertToSnaplenPcapng(inPath, outPath, snaplen = 128) {
  const input = new ChunkedReader(inPath, READ_BUFFER_BYTES);
  try {
    const { linktype } = readGlobalHeader(input, inPath);
    const writer = new PcapngWriter(outPath, { snaplen, linktype });
    for (;;) {
      if (!input.ensure(PCAP_RECORD_HEADER_BYTES)) break;
      const { buf, start } = input;
      const seconds = buf.readUInt32LE(start);
      const micros = buf.readUInt32LE(start + 4);
      const capturedLength = buf.readUInt32LE(start + 8);
      const originalLength = buf.readUInt32LE(start + 12);
      if (!input.ensure(PCAP_RECORD_HEADER_BYTES + capturedLength)) throw new Error(`${inPath}: truncated record at the end of the file`);
      const dataStart = input.start + PCAP_RECORD_HEADER_BYTES;
      writer.writeFrame(seconds * 1e6 + micros, input.buf, dataStart, capturedLength, originalLength);
      input.consume(PCAP_RECORD_HEADER_BYTES + capturedLength);
    }
    return writer.close();
  } finally {
    input.close();
  }
}

function readGlobalHeader(input, inPath) {
  if (!input.ensure(PCAP_GLOBAL_HEADER_BYTES)) throw new Error(`${inPath}: too short for a pcap header`);
  const magic = input.buf.readUInt32LE(input.start);
  if (magic !== PCAP_MAGIC_MICROS_LE) {
    throw new Error(`${inPath}: not a little-endian microsecond pcap (magic 0x${magic.toString(16)})`);
  }
  const linktype = input.buf.readUInt32LE(input.start + 20) & 0xffff;
  input.consume(PCAP_GLOBAL_HEADER_BYTES);
  return { linktype };
}

/** Sequential reads through one buffer; `ensure(n)` makes n bytes available at buf[start]. */
class ChunkedReader {
  constructor(path, bufferBytes) {
    this.fd = openSync(path, 'r');
    this.buf = Buffer.alloc(bufferBytes);
    this.start = 0;
    this.end = 0;
  }

  ensure(n) {
    if (this.end - this.start >= n) return true;
    if (n > this.buf.length) throw new Error(`record of ${n} bytes exceeds the read buffer`);
    this.buf.copy(this.buf, 0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
    while (this.end < n) {
      const read = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
      if (read === 0) return false;
      this.end += read;
    }
    return true;
  }

  consume(n) {
    this.start += n;
  }

  close() {
    closeSync(this.fd);
  }
}

function main() {
  const [inPath, outPath, snaplenText = '128'] = process.argv.slice(2);
  const snaplen = Number(snaplenText);
  if (!inPath || !outPath || !Number.isInteger(snaplen) || snaplen <= 0) {
    process.stderr.write('usage: node bench/to-snaplen-pcapng.mjs IN.pcap OUT.pcapng [SNAPLEN=128]\n');
    process.exit(2);
  }
  const started = process.hrtime.bigint();
  let result;
  try {
    result = convertToSnaplenPcapng(inPath, outPath, snaplen);
  } catch (error) {
    process.stderr.write(`to-snaplen-pcapng: ${error.message}\n`);
    process.exit(1);
  }
  const { frames, bytes } = result;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`wrote ${outPath}: ${frames} frames, ${bytes} bytes in ${seconds.toFixed(2)} s\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main();
