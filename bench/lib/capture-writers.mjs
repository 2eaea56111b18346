// Streaming writers for classic pcap and pcapng, through one large reusable buffer and fs.writeSync.
// Nothing is kept in memory beyond the buffer, so output size is unbounded.
import { closeSync, openSync, writeSync } from 'node:fs';

export const LINKTYPE_ETHERNET = 1;
const DEFAULT_BUFFER_BYTES = 8 * 1024 * 1024;
const PCAP_MAGIC_MICROS = 0xa1b2c3d4;
const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;

export class BufferedFile {
  constructor(path, bufferBytes = DEFAULT_BUFFER_BYTES) {
    this.fd = openSync(path, 'w');
    this.buf = Buffer.alloc(bufferBytes);
    this.pos = 0;
    this.bytesWritten = 0;
  }

  /** Makes room for `n` bytes and returns the buffer offset to write them at; call commit(n) after. */
  reserve(n) {
    if (this.pos + n > this.buf.length) this.flush();
    return this.pos;
  }

  commit(n) {
    this.pos += n;
  }

  flush() {
    let done = 0;
    while (done < this.pos) done += writeSync(this.fd, this.buf, done, this.pos - done);
    this.bytesWritten += this.pos;
    this.pos = 0;
  }

  close() {
    this.flush();
    closeSync(this.fd);
  }
}

/** Classic pcap: little-endian, microsecond timestamps. */
export class PcapWriter {
  constructor(path, { snaplen = 262144, linktype = LINKTYPE_ETHERNET } = {}) {
    this.file = new BufferedFile(path);
    this.snaplen = snaplen;
    this.frames = 0;
    const pos = this.file.reserve(24);
    const b = this.file.buf;
    b.writeUInt32LE(PCAP_MAGIC_MICROS, pos);
    b.writeUInt16LE(2, pos + 4);
    b.writeUInt16LE(4, pos + 6);
    b.writeInt32LE(0, pos + 8); // thiszone
    b.writeUInt32LE(0, pos + 12); // sigfigs
    b.writeUInt32LE(snaplen, pos + 16);
    b.writeUInt32LE(linktype, pos + 20);
    this.file.commit(24);
  }

  writeFrame(tsMicros, data, offset, length, originalLength = length) {
    const captured = Math.min(length, this.snaplen);
    const pos = this.file.reserve(16 + captured);
    const b = this.file.buf;
    const seconds = Math.floor(tsMicros / 1e6);
    b.writeUInt32LE(seconds, pos);
    b.writeUInt32LE(tsMicros - seconds * 1e6, pos + 4);
    b.writeUInt32LE(captured, pos + 8);
    b.writeUInt32LE(originalLength, pos + 12);
    data.copy(b, pos + 16, offset, offset + captured);
    this.file.commit(16 + captured);
    this.frames++;
  }

  close() {
    this.file.close();
    return { frames: this.frames, bytes: this.file.bytesWritten };
  }
}

/** pcapng: one section, one Ethernet interface (default if_tsresol = microseconds), EPBs without options. */
export class PcapngWriter {
  constructor(path, { snaplen = 262144, linktype = LINKTYPE_ETHERNET } = {}) {
    this.file = new BufferedFile(path);
    this.snaplen = snaplen;
    this.frames = 0;
    this.writeSectionHeader();
    this.writeInterfaceDescription(linktype);
  }

  writeSectionHeader() {
    const pos = this.file.reserve(28);
    const b = this.file.buf;
    b.writeUInt32LE(BLOCK_SHB, pos);
    b.writeUInt32LE(28, pos + 4);
    b.writeUInt32LE(PCAPNG_BYTE_ORDER_MAGIC, pos + 8);
    b.writeUInt16LE(1, pos + 12); // major
    b.writeUInt16LE(0, pos + 14); // minor
    b.writeInt32LE(-1, pos + 16); // section length: unknown (-1 as 64-bit)
    b.writeInt32LE(-1, pos + 20);
    b.writeUInt32LE(28, pos + 24);
    this.file.commit(28);
  }

  writeInterfaceDescription(linktype) {
    const pos = this.file.reserve(20);
    const b = this.file.buf;
    b.writeUInt32LE(BLOCK_IDB, pos);
    b.writeUInt32LE(20, pos + 4);
    b.writeUInt16LE(linktype, pos + 8);
    b.writeUInt16LE(0, pos + 10); // reserved
    b.writeUInt32LE(this.snaplen, pos + 12);
    b.writeUInt32LE(20, pos + 16);
    this.file.commit(20);
  }

  writeFrame(tsMicros, data, offset, length, originalLength = length) {
    const captured = Math.min(length, this.snaplen);
    const padded = (captured + 3) & ~3;
    const blockLength = 32 + padded;
    const pos = this.file.reserve(blockLength);
    const b = this.file.buf;
    const high = Math.floor(tsMicros / 4294967296);
    b.writeUInt32LE(BLOCK_EPB, pos);
    b.writeUInt32LE(blockLength, pos + 4);
    b.writeUInt32LE(0, pos + 8); // interface id
    b.writeUInt32LE(high, pos + 12);
    b.writeUInt32LE(tsMicros - high * 4294967296, pos + 16);
    b.writeUInt32LE(captured, pos + 20);
    b.writeUInt32LE(originalLength, pos + 24);
    data.copy(b, pos + 28, offset, offset + captured);
    b.fill(0, pos + 28 + captured, pos + 28 + padded);
    b.writeUInt32LE(blockLength, pos + 28 + padded);
    this.file.commit(blockLength);
    this.frames++;
  }

  close() {
    this.file.close();
    return { frames: this.frames, bytes: this.file.bytesWritten };
  }
}

export function createCaptureWriter(path, { format = 'pcap', snaplen } = {}) {
  if (format === 'pcap') return new PcapWriter(path, { snaplen: snaplen ?? 262144 });
  if (format === 'pcapng') return new PcapngWriter(path, { snaplen: snaplen ?? 262144 });
  throw new Error(`unknown capture format: ${format} (expected pcap or pcapng)`);
}
