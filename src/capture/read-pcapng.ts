import type { BatchBuilder } from './batch-builder.js';
import { maxFrameLength } from './link-types.js';
import type { RecordParser } from './record-parser.js';
import { splitTimestamp, type SplitTime } from './timestamps.js';
import type { CaptureInterface, CaptureMeta } from './types.js';

/**
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks `type, totalLength, body, totalLength`.
 * Each Section Header Block starts a section with its own byte order and its own interfaces;
 * interface ids in packet blocks index the section's IDBs. We number interfaces across sections
 * (section 2's first IDB follows section 1's last). Blocks we do not use are skipped by length.
 */
export const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_PB = 0x00000002; // obsolete Packet Block
const BLOCK_SPB = 0x00000003;
const BLOCK_ISB = 0x00000005;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Wireshark's bound on a block: the largest frame it accepts plus room for options. */
const MAX_BLOCK = 128 * 1024 * 1024 + 131_072 + 32;

const OPT_END = 0;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;
const ISB_IFDROP = 5;
const ISB_OSDROP = 7;

interface SectionInterface {
  global: CaptureInterface;
  unitsPerSecond: number;
  offsetSec: number;
  maxLength: number;
}

export class PcapngParser implements RecordParser {
  need = 12;
  stopped = false;
  private le = true;
  private sectionStarted = false;
  private section: SectionInterface[] = [];
  private readonly time: SplitTime = { sec: 0, nsec: 0 };

  constructor(private readonly meta: CaptureMeta) {}

  parse(buf: Uint8Array, out: BatchBuilder, fileOffset: number, nextNumber: number): number {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const end = buf.length;
    let pos = 0;
    while (pos + 12 <= end) {
      let type = view.getUint32(pos, this.le);
      if (type === BLOCK_SHB) {
        const bom = view.getUint32(pos + 8, true);
        if (bom === BYTE_ORDER_MAGIC) this.le = true;
        else if (bom === 0x4d3c2b1a) this.le = false;
        else return this.corrupt(`section header at byte offset ${fileOffset + pos} has no byte-order magic`, fileOffset + pos, nextNumber + out.count, pos);
      } else if (!this.sectionStarted) {
        return this.corrupt(`the file does not start with a section header block`, fileOffset + pos, nextNumber + out.count, pos);
      }
      type = view.getUint32(pos, this.le);
      const length = view.getUint32(pos + 4, this.le);
      if (length < 12 || length % 4 !== 0 || length > MAX_BLOCK) {
        return this.corrupt(`block at byte offset ${fileOffset + pos} claims a total length of ${length} bytes, which cannot be true`, fileOffset + pos, nextNumber + out.count, pos);
      }
      if (pos + length > end) {
        this.need = length;
        return pos;
      }
      const problem = this.block(type, view, pos, length, out);
      if (problem !== null) {
        return this.corrupt(`${problem} (block at byte offset ${fileOffset + pos})`, fileOffset + pos, nextNumber + out.count, pos);
      }
      pos += length;
    }
    this.need = 12;
    return pos;
  }

  endInside(rest: number, fileOffset: number, nextNumber: number): void {
    this.meta.warnings.push({
      code: 'capture.truncated_file',
      message: `the file ends ${rest} bytes into a block at byte offset ${fileOffset} (cut off while being written or copied); every whole frame before it was read`,
      frame: nextNumber,
      offset: fileOffset,
    });
  }

  /** Handles one whole block; returns a description of what lied, or null. */
  private block(type: number, view: DataView, pos: number, length: number, out: BatchBuilder): string | null {
    switch (type) {
      case BLOCK_SHB:
        if (length < 28) return `section header block of ${length} bytes is too short`;
        this.sectionStarted = true;
        this.section = [];
        return null;
      case BLOCK_IDB:
        return this.interfaceBlock(view, pos, length);
      case BLOCK_EPB:
        return this.enhancedPacket(view, pos, length, out);
      case BLOCK_SPB:
        return this.simplePacket(view, pos, length, out);
      case BLOCK_PB:
        return this.obsoletePacket(view, pos, length, out);
      case BLOCK_ISB:
        this.statistics(view, pos, length);
        return null;
      default:
        return null; // NRB, DSB, custom and unknown blocks: skipped by their length
    }
  }

  private interfaceBlock(view: DataView, pos: number, length: number): string | null {
    if (length < 20) return `interface description block of ${length} bytes is too short`;
    const linkType = view.getUint16(pos + 8, this.le);
    const snaplen = view.getUint32(pos + 12, this.le);
    const iface: SectionInterface = {
      global: { id: this.meta.interfaces.length, linkType, snaplen, tsResolution: 1e6, drops: null },
      unitsPerSecond: 1e6,
      offsetSec: 0,
      maxLength: maxFrameLength(linkType),
    };
    this.options(view, pos + 16, pos + length - 4, (code, at, len) => {
      if (code === IF_TSRESOL && len >= 1) {
        const v = view.getUint8(at);
        const exp = v & 0x7f;
        iface.unitsPerSecond = v & 0x80 ? 2 ** exp : 10 ** exp;
        iface.global.tsResolution = iface.unitsPerSecond;
      } else if (code === IF_TSOFFSET && len >= 8) {
        iface.offsetSec = readInt64(view, at, this.le);
      } else if (code === IF_NAME && len > 0) {
        iface.global.name = new TextDecoder().decode(new Uint8Array(view.buffer, view.byteOffset + at, len)).replace(/\0+$/, '');
      }
    });
    this.section.push(iface);
    this.meta.interfaces.push(iface.global);
    return null;
  }

  private enhancedPacket(view: DataView, pos: number, length: number, out: BatchBuilder): string | null {
    if (length < 32) return `enhanced packet block of ${length} bytes is too short`;
    return this.timedPacket(view, pos, length, out, view.getUint32(pos + 8, this.le));
  }

  private simplePacket(view: DataView, pos: number, length: number, out: BatchBuilder): string | null {
    if (length < 16) return `simple packet block of ${length} bytes is too short`;
    const iface = this.section[0];
    if (iface === undefined) return 'simple packet block in a section without interfaces';
    const origLen = view.getUint32(pos + 8, this.le);
    let capLen = Math.min(origLen, length - 16);
    if (iface.global.snaplen !== 0) capLen = Math.min(capLen, iface.global.snaplen);
    // Simple packet blocks carry no timestamp (pcapng section 4.4): NaN seconds say "none".
    out.push(pos + 12, capLen, origLen, NaN, 0, iface.global.linkType, iface.global.id);
    return null;
  }

  private obsoletePacket(view: DataView, pos: number, length: number, out: BatchBuilder): string | null {
    if (length < 32) return `packet block of ${length} bytes is too short`;
    return this.timedPacket(view, pos, length, out, view.getUint16(pos + 8, this.le));
  }

  /** EPB and the obsolete PB share their layout after the interface id: ts hi, ts lo, caplen, len, data. */
  private timedPacket(view: DataView, pos: number, length: number, out: BatchBuilder, id: number): string | null {
    const iface = this.section[id];
    if (iface === undefined) return `packet names interface ${id}, but the section describes only ${this.section.length}`;
    const capLen = view.getUint32(pos + 20, this.le);
    if (capLen > iface.maxLength || 28 + capLen + 4 > length) {
      return `packet claims ${capLen} captured bytes, more than its block or its link type allows`;
    }
    const origLen = view.getUint32(pos + 24, this.le);
    this.stamp(view.getUint32(pos + 12, this.le), view.getUint32(pos + 16, this.le), iface);
    out.push(pos + 28, capLen, origLen, this.time.sec, this.time.nsec, iface.global.linkType, iface.global.id);
    return null;
  }

  private statistics(view: DataView, pos: number, length: number): void {
    if (length < 24) return;
    const iface = this.section[view.getUint32(pos + 8, this.le)];
    if (iface === undefined) return;
    let drops: number | null = null;
    this.options(view, pos + 20, pos + length - 4, (code, at, len) => {
      if ((code === ISB_IFDROP || code === ISB_OSDROP) && len >= 8) {
        drops = (drops ?? 0) + readUint64(view, at, this.le);
      }
    });
    if (drops !== null) iface.global.drops = drops;
  }

  private stamp(hi: number, lo: number, iface: SectionInterface): void {
    splitTimestamp(hi, lo, iface.unitsPerSecond, this.time);
    this.time.sec += iface.offsetSec;
  }

  /** Walks `code, length, value (padded to 4)` options until opt_endofopt or `end`. */
  private options(view: DataView, start: number, end: number, visit: (code: number, at: number, len: number) => void): void {
    let at = start;
    while (at + 4 <= end) {
      const code = view.getUint16(at, this.le);
      const len = view.getUint16(at + 2, this.le);
      if (code === OPT_END || at + 4 + len > end) return;
      visit(code, at + 4, len);
      at += 4 + ((len + 3) & ~3);
    }
  }

  private corrupt(message: string, offset: number, frame: number, pos: number): number {
    this.stopped = true;
    this.meta.stoppedEarly = true;
    this.meta.warnings.push({
      code: 'capture.corrupt_record',
      message: `${message}: the file is damaged from here on; reading stopped at frame ${frame}`,
      frame,
      offset,
    });
    return pos;
  }
}

function readUint64(view: DataView, at: number, le: boolean): number {
  const a = view.getUint32(at, le);
  const b = view.getUint32(at + 4, le);
  return le ? b * 4294967296 + a : a * 4294967296 + b;
}

function readInt64(view: DataView, at: number, le: boolean): number {
  const lo = view.getUint32(le ? at : at + 4, le);
  const hi = view.getInt32(le ? at + 4 : at, le);
  return hi * 4294967296 + lo;
}
