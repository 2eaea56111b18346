import { open } from 'node:fs/promises';
import { BatchBuilder } from './batch-builder.js';
import { maxFrameLength } from './link-types.js';
import type { CaptureMeta, FrameBatch } from './types.js';

/**
 * Microsoft Network Monitor 2.x capture files (.cap from Network Monitor 3.x and nmcap).
 * A 128-byte header (magic "GMBU", version, media type, capture start as a SYSTEMTIME) points to a
 * frame table at the end of the file: one 32-bit offset per frame. Each frame record is
 * `u64 microseconds since start, u32 original length, u32 captured length, bytes`, followed from
 * version 2.1 by a trailer whose first two bytes are the frame's own media type; 2.3 adds a UTC
 * FILETIME per frame. Because the table sits at the end, streams are spooled to a file first.
 */
export const NETMON_HEADER = 128;
const WINDOW_BYTES = 4 * 1024 * 1024;

/** Network Monitor media types -> LINKTYPE_ values (Wireshark's netmon_encap table). */
const MEDIA_TO_LINKTYPE: Record<number, number> = {
  0: 1, // some VPN captures carry 0 with Ethernet frames
  1: 1, // Ethernet
  2: 6, // Token Ring
  3: 10, // FDDI
  6: 105, // 802.11 with Network Monitor's radio header (approximated as plain 802.11)
  7: 101, // tunnel interfaces: raw IP
  8: 101, // wireless WAN: raw IP
  9: 101, // raw IP frames
};
/** Media types 0xE000 + n carry pcap link type n. */
const PCAP_BASE = 0xe000;

export function netmonLinkType(media: number): number {
  if (media >= PCAP_BASE && media < PCAP_BASE + 0x80) return media - PCAP_BASE;
  return MEDIA_TO_LINKTYPE[media] ?? 0xffff;
}

export function isNetmon2Magic(b: Uint8Array): boolean {
  return b.length >= 6 && b[0] === 0x47 && b[1] === 0x4d && b[2] === 0x42 && b[3] === 0x55 && b[5] === 2;
}

export async function* readNetmon(path: string, meta: CaptureMeta): AsyncGenerator<FrameBatch> {
  const handle = await open(path, 'r');
  try {
    const fileSize = (await handle.stat()).size;
    const header = Buffer.alloc(NETMON_HEADER);
    const { bytesRead } = await handle.read(header, 0, NETMON_HEADER, 0);
    if (bytesRead < NETMON_HEADER) {
      truncated(meta, 'the file ends inside its 128-byte header', null, bytesRead);
      return;
    }
    const minor = header[4];
    const fileMedia = header.readUInt16LE(6);
    const startMs = systemTimeToEpochMs(header);
    const tableOffset = header.readUInt32LE(24);
    const tableLength = header.readUInt32LE(28);
    const fileLinkType = netmonLinkType(fileMedia);
    meta.interfaces.push({ id: 0, linkType: fileLinkType, snaplen: 0, tsResolution: minor >= 3 ? 1e7 : 1e6, drops: null });
    if (tableOffset + tableLength > fileSize || tableOffset < NETMON_HEADER) {
      meta.stoppedEarly = true;
      meta.warnings.push({
        code: 'capture.truncated_file',
        message: `the frame table (${tableLength} bytes at byte offset ${tableOffset}) lies beyond the end of the ${fileSize}-byte file: the file was cut short, and Network Monitor files cannot be read without their table`,
        frame: 1,
        offset: tableOffset,
      });
      return;
    }
    const table = Buffer.alloc(tableLength);
    await handle.read(table, 0, tableLength, tableOffset);
    const frameCount = Math.floor(tableLength / 4);
    const trailer = minor === 1 ? 2 : minor === 2 ? 6 : minor >= 3 ? 15 : 0;

    let window: Buffer = Buffer.alloc(0);
    let windowStart = 0;
    const builder = new BatchBuilder();
    let batchNumber = 1;
    for (let i = 0; i < frameCount; i++) {
      const at = table.readUInt32LE(i * 4);
      // Make sure the 16-byte record header is in the window.
      if (at < windowStart || at + 16 > windowStart + window.length) {
        if (builder.count > 0) {
          yield builder.take(window, batchNumber);
          batchNumber = i + 1;
        }
        window = await readWindow(handle, at, Math.max(WINDOW_BYTES, 16), fileSize);
        windowStart = at;
      }
      const rel = at - windowStart;
      if (rel + 16 > window.length) {
        truncated(meta, `frame ${i + 1}'s record header at byte offset ${at} lies beyond the end of the file`, i + 1, at);
        break;
      }
      const deltaLo = window.readUInt32LE(rel);
      const deltaHi = window.readInt32LE(rel + 4);
      const origLen = window.readUInt32LE(rel + 8);
      const capLen = window.readUInt32LE(rel + 12);
      if (capLen > maxFrameLength(1)) {
        meta.stoppedEarly = true;
        meta.warnings.push({
          code: 'capture.corrupt_record',
          message: `frame ${i + 1} at byte offset ${at} claims ${capLen} captured bytes, more than 262144: the file is damaged from here on; reading stopped`,
          frame: i + 1,
          offset: at,
        });
        break;
      }
      const recordEnd = rel + 16 + capLen + trailer;
      if (recordEnd > window.length) {
        if (at + 16 + capLen + trailer > fileSize) {
          truncated(meta, `frame ${i + 1} at byte offset ${at} runs past the end of the file`, i + 1, at);
          break;
        }
        if (builder.count > 0) {
          yield builder.take(window, batchNumber);
          batchNumber = i + 1;
        }
        window = await readWindow(handle, at, Math.max(WINDOW_BYTES, 16 + capLen + trailer), fileSize);
        windowStart = at;
      }
      const r = at - windowStart;
      let linkType = fileLinkType;
      if (trailer > 0) linkType = netmonLinkType(window.readUInt16LE(r + 16 + capLen));
      // Microseconds since the capture started (signed, per Microsoft's documentation).
      const deltaUs = deltaHi * 4294967296 + deltaLo;
      const totalMs = startMs + Math.floor(deltaUs / 1000);
      const sec = Math.floor(totalMs / 1000);
      const usWithinSec = (totalMs - sec * 1000) * 1000 + (deltaUs - Math.floor(deltaUs / 1000) * 1000);
      builder.push(r + 16, capLen, origLen, sec, usWithinSec * 1000, linkType, 0);
    }
    if (builder.count > 0) yield builder.take(window, batchNumber);
  } finally {
    await handle.close();
  }
}

async function readWindow(handle: import('node:fs/promises').FileHandle, at: number, length: number, fileSize: number): Promise<Buffer> {
  const size = Math.min(length, fileSize - at);
  const buf = Buffer.allocUnsafeSlow(Math.max(0, size));
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(buf, filled, size - filled, at + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buf.subarray(0, filled);
}

/** The header's capture start is a SYSTEMTIME in the capturing machine's local time; taken as UTC. */
function systemTimeToEpochMs(h: Buffer): number {
  return Date.UTC(h.readUInt16LE(8), h.readUInt16LE(10) - 1, h.readUInt16LE(14), h.readUInt16LE(16), h.readUInt16LE(18), h.readUInt16LE(20), h.readUInt16LE(22));
}

function truncated(meta: CaptureMeta, what: string, frame: number | null, offset: number): void {
  meta.warnings.push({
    code: 'capture.truncated_file',
    message: `${what} (cut off while being written or copied); every whole frame before it was read`,
    frame,
    offset,
  });
}
