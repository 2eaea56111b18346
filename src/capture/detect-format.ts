import { isNetmon2Magic } from './read-netmon.js';
import { isPcapMagic } from './read-pcap.js';
import { BLOCK_SHB } from './read-pcapng.js';

/**
 * Format detection by content, never by file name: support engineers' uploads are named anything.
 */
export type DetectedFormat =
  | 'pcap'
  | 'pcapng'
  | 'netmon2'
  | 'netmon1'
  | 'gzip'
  | 'zip'
  | 'etl'
  | 'html'
  | 'empty'
  | 'unknown';

/** How many leading bytes detection looks at. */
export const DETECT_BYTES = 4096;

export function detectFormat(head: Uint8Array): DetectedFormat {
  if (head.length === 0) return 'empty';
  if (isPcapMagic(head)) return 'pcap';
  if (head.length >= 4 && readU32BE(head, 0) === BLOCK_SHB) return 'pcapng';
  if (isNetmon2Magic(head)) return 'netmon2';
  if (startsWith(head, [0x52, 0x54, 0x53, 0x53])) return 'netmon1'; // "RTSS"
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (looksLikeEtl(head)) return 'etl';
  if (looksLikeHtml(head)) return 'html';
  return 'unknown';
}

/**
 * Windows event trace logs (`netsh trace`, pktmon) have no magic number. They start with a 72-byte
 * WMI buffer header (buffer size, saved and current offsets), and the first event is the logfile
 * header: a system trace header whose flags byte has TRACE_HEADER_FLAG | TRACE_HEADER_EVENT_TRACE
 * (0xC0), followed by a TRACE_LOGFILE_HEADER that repeats the buffer size.
 */
function looksLikeEtl(b: Uint8Array): boolean {
  if (b.length < 0x48 + 0x24) return false;
  const bufferSize = readU32LE(b, 0);
  if (bufferSize < 1024 || bufferSize > 64 * 1024 * 1024 || bufferSize % 1024 !== 0) return false;
  if (readU32LE(b, 4) > bufferSize || readU32LE(b, 8) > bufferSize) return false;
  const flags = b[0x48 + 3];
  const logfileBufferSize = readU32LE(b, 0x48 + 0x20);
  return (flags & 0xc0) === 0xc0 && logfileBufferSize === bufferSize;
}

function looksLikeHtml(b: Uint8Array): boolean {
  let text = '';
  for (let i = 0; i < Math.min(b.length, 512); i++) text += String.fromCharCode(b[i]);
  text = text.replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  return /^<(!doctype html|html|head|body|!--|\?xml[^>]*>\s*<(!doctype html|html))/.test(text);
}

/** First bytes as hex, for the "not a capture file" message. */
export function describeFirstBytes(head: Uint8Array, count = 8): string {
  return Array.from(head.subarray(0, count), (x) => x.toString(16).padStart(2, '0')).join(' ');
}

function startsWith(b: Uint8Array, prefix: number[]): boolean {
  return b.length >= prefix.length && prefix.every((x, i) => b[i] === x);
}

function readU32BE(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

function readU32LE(b: Uint8Array, at: number): number {
  return ((b[at + 3] << 24) | (b[at + 2] << 16) | (b[at + 1] << 8) | b[at]) >>> 0;
}
