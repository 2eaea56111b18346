/**
 * Synthetic Windows ETL traces, built byte by byte from the documented structures (evntrace.h,
 * evntcons.h): no real pktmon or `netsh trace` file is available to the tests (none is public
 * under a licence we can commit, and none is among the shared public captures this project
 * sweeps), so these carry exactly the fields netcase reads and zeros elsewhere. They are not
 * valid traces for Windows tools.
 *
 * One 64 KB buffer:
 *   0x000 WMI_BUFFER_HEADER (0x48 bytes): BufferSize, SavedOffset, CurrentOffset, ...
 *   0x048 SYSTEM_TRACE_HEADER (0x20): version 2, header type 2 (system64), flags 0xC0, size
 *   0x068 TRACE_LOGFILE_HEADER (0x118 with 8-byte pointers, 0x110 with 4): BufferSize at +0x00,
 *         PointerSize at +0x2C; then LoggerName and LogFileName, UTF-16LE, NUL-terminated
 *   then, 8-byte aligned, one event per provider: an EVENT_HEADER with Size at +0x00 and
 *         ProviderId at +0x18 (a GUID, Data1-3 little-endian), no payload.
 */
export const PKTMON_PROVIDER = '4d4f80d9-c8bd-4d73-bb5b-19c90402c5ac'; // Microsoft-Windows-PktMon
export const NDISCAP_PROVIDER = '2ed6006e-4729-4609-b423-3ee7bcd678ef'; // Microsoft-Windows-NDIS-PacketCapture

export interface EtlOptions {
  /** The session (logger) name; none leaves the field empty. */
  logger?: string;
  logFile?: string;
  pointerSize?: 4 | 8;
  /** Provider GUIDs of the events after the logfile header. */
  providers?: string[];
  /** Where the first provider event starts (default: right after the names). */
  firstEventAt?: number;
}

const BUFFER_SIZE = 64 * 1024;

export function buildEtl(o: EtlOptions = {}): Buffer {
  const b = Buffer.alloc(BUFFER_SIZE);
  const pointerSize = o.pointerSize ?? 8;
  b.writeUInt16LE(2, 0x48); // SYSTEM_TRACE_HEADER: version
  b[0x48 + 2] = 0x02; // header type: system64
  b[0x48 + 3] = 0xc0; // TRACE_HEADER_FLAG | TRACE_HEADER_EVENT_TRACE
  b.writeUInt32LE(BUFFER_SIZE, 0x68); // TRACE_LOGFILE_HEADER.BufferSize
  b.writeUInt32LE(0x0a000000, 0x68 + 0x04); // Version 10.0
  b.writeUInt32LE(pointerSize, 0x68 + 0x2c); // PointerSize
  let at = 0x68 + (pointerSize === 8 ? 0x118 : 0x110);
  for (const text of [o.logger ?? '', o.logFile ?? '']) {
    at += b.write(`${text}\u0000`, at, 'utf16le');
  }
  b.writeUInt16LE(at - 0x48, 0x48 + 4); // the logfile header event's size
  at = o.firstEventAt ?? (at + 7) & ~7;
  for (const guid of o.providers ?? []) {
    b.writeUInt16LE(0x50, at); // EVENT_HEADER.Size (header and extended data, no payload)
    b.writeUInt16LE(0xc012, at + 2); // HeaderType, MarkerFlags (an EVENT_HEADER in a trace buffer)
    guidBytes(guid).copy(b, at + 0x18); // ProviderId
    at += 0x50;
  }
  b.writeUInt32LE(at, 4); // SavedOffset
  b.writeUInt32LE(at, 8); // CurrentOffset
  b.writeUInt32LE(BUFFER_SIZE, 0); // BufferSize
  return b;
}

function guidBytes(guid: string): Buffer {
  const hex = guid.replace(/-/g, '');
  const out = Buffer.from(hex, 'hex');
  out.subarray(0, 4).reverse();
  out.subarray(4, 6).reverse();
  out.subarray(6, 8).reverse();
  return out;
}
