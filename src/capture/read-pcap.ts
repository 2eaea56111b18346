import type { BatchBuilder } from './batch-builder.js';
import { maxFrameLength } from './link-types.js';
import type { RecordParser } from './record-parser.js';
import type { CaptureMeta } from './types.js';

/**
 * Classic libpcap files: a 24-byte global header, then records of a 16-byte header and the frame.
 * Magic 0xa1b2c3d4 (microseconds) or 0xa1b23c4d (nanoseconds), in either byte order; 0xa1b2cd34 is
 * Alexey Kuznetsov's patched format whose record headers carry 8 more bytes (ifindex, protocol,
 * packet type). A captured length beyond what the link type allows (Wireshark's limit) cannot be
 * true and stops reading, as it does in Wireshark.
 */
export const PCAP_GLOBAL_HEADER = 24;

export function isPcapMagic(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const be = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const le = ((b[3] << 24) | (b[2] << 16) | (b[1] << 8) | b[0]) >>> 0;
  return PCAP_MAGICS.has(be) || PCAP_MAGICS.has(le);
}

const MAGIC_USEC = 0xa1b2c3d4;
const MAGIC_NSEC = 0xa1b23c4d;
const MAGIC_KUZNETSOV = 0xa1b2cd34;
const PCAP_MAGICS = new Set([MAGIC_USEC, MAGIC_NSEC, MAGIC_KUZNETSOV]);

export class PcapParser implements RecordParser {
  need = PCAP_GLOBAL_HEADER;
  stopped = false;
  private headerRead = false;
  private littleEndian = true;
  private unitsToNs = 1000;
  private recordHeader = 16;
  private linkType = 1;
  private maxLength = 262_144;

  constructor(private readonly meta: CaptureMeta) {}

  parse(buf: Uint8Array, out: BatchBuilder, fileOffset: number, nextNumber: number): number {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let pos = 0;
    if (!this.headerRead) {
      if (buf.length < PCAP_GLOBAL_HEADER) return 0;
      this.readGlobalHeader(view);
      pos = PCAP_GLOBAL_HEADER;
    }
    const le = this.littleEndian;
    const rh = this.recordHeader;
    const end = buf.length;
    const linkType = this.linkType;
    const unitsToNs = this.unitsToNs;
    while (pos + rh <= end) {
      const capLen = view.getUint32(pos + 8, le);
      if (capLen > this.maxLength) {
        this.stop(capLen, fileOffset + pos, nextNumber + out.count);
        return pos;
      }
      if (pos + rh + capLen > end) {
        this.need = rh + capLen;
        return pos;
      }
      const sec = view.getUint32(pos, le);
      const frac = view.getUint32(pos + 4, le);
      const origLen = view.getUint32(pos + 12, le);
      out.push(pos + rh, capLen, origLen, sec, frac * unitsToNs, linkType, 0);
      pos += rh + capLen;
    }
    this.need = rh;
    return pos;
  }

  endInside(rest: number, fileOffset: number, nextNumber: number): void {
    const where = this.headerRead ? `frame ${nextNumber}` : 'the file header';
    this.meta.warnings.push({
      code: 'capture.truncated_file',
      message: `the file ends ${rest} bytes into ${where} (cut off while being written or copied); every whole frame before it was read`,
      frame: this.headerRead ? nextNumber : null,
      offset: fileOffset,
    });
  }

  private readGlobalHeader(view: DataView): void {
    const raw = view.getUint32(0, false);
    this.littleEndian = !PCAP_MAGICS.has(raw);
    const magic = view.getUint32(0, this.littleEndian);
    this.unitsToNs = magic === MAGIC_NSEC ? 1 : 1000;
    this.recordHeader = magic === MAGIC_KUZNETSOV ? 24 : 16;
    const snaplen = view.getUint32(16, this.littleEndian);
    // The low 26 bits hold the link type; the top bits carry FCS information (pcap-savefile(5)).
    this.linkType = view.getUint32(20, this.littleEndian) & 0x03ffffff & 0xffff;
    this.maxLength = maxFrameLength(this.linkType);
    this.meta.interfaces.push({
      id: 0,
      linkType: this.linkType,
      snaplen,
      tsResolution: magic === MAGIC_NSEC ? 1e9 : 1e6,
      drops: null,
    });
    this.headerRead = true;
  }

  private stop(capLen: number, offset: number, frame: number): void {
    this.stopped = true;
    this.meta.stoppedEarly = true;
    this.meta.warnings.push({
      code: 'capture.corrupt_record',
      message: `frame ${frame} at byte offset ${offset} claims ${capLen} captured bytes, more than the ${this.maxLength} this link type allows: the file is damaged from here on; reading stopped`,
      frame,
      offset,
    });
  }
}
