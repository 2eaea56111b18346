import type { ByteReader } from './byte-reader.js';
import type { Packet } from './packet.js';

/**
 * HTTP/1.x start lines (RFC 9112 3 and 4) and the Host header, from the first bytes of a segment.
 * Bodies and headers that continue in later segments belong to the flow engine.
 */
export interface HttpMessage {
  /** Request method, or '' for a response. */
  method: string;
  uri: string;
  host: string;
  /** Response status code, or -1 for a request. */
  status: number;
  version: string;
}

const METHODS = ['GET ', 'POST ', 'PUT ', 'DELETE ', 'HEAD ', 'OPTIONS ', 'PATCH ', 'CONNECT ', 'TRACE '];
const MAX_HEAD = 4096;

/** The first four bytes of every request method we recognise, and of a status line ("HTTP"). */
const STARTS = new Set(['GET ', 'POST', 'PUT ', 'DELE', 'HEAD', 'OPTI', 'PATC', 'CONN', 'TRAC', 'HTTP'].map((t) => ((t.charCodeAt(0) << 24) | (t.charCodeAt(1) << 16) | (t.charCodeAt(2) << 8) | t.charCodeAt(3)) >>> 0));

export function looksLikeHttp(r: ByteReader, at: number, captured: number): boolean {
  if (captured < 5) return false;
  if (!STARTS.has(r.u32(at))) return false;
  const start = ascii(r, at, Math.min(captured, 8));
  return start.startsWith('HTTP/1.') || METHODS.some((m) => start.startsWith(m));
}

export function decodeHttp(r: ByteReader, p: Packet): void {
  const text = ascii(r, p.payloadOffset, Math.min(p.payloadCaptured, MAX_HEAD));
  const lineEnd = text.indexOf('\r\n');
  const line = lineEnd >= 0 ? text.slice(0, lineEnd) : text;
  const m: HttpMessage = { method: '', uri: '', host: '', status: -1, version: '' };
  if (line.startsWith('HTTP/1.')) {
    const match = /^(HTTP\/1\.\d) (\d{3})(?: |$)/.exec(line);
    if (match === null) return;
    m.version = match[1];
    m.status = Number(match[2]);
  } else {
    // A request line cut by the snaplen still names its method and as much of the target as was captured.
    const cut = lineEnd < 0 && p.payloadCaptured < p.payloadLength;
    const match = cut ? /^([A-Z]+) (\S+)/.exec(line) : /^([A-Z]+) (\S+) (HTTP\/1\.\d)$/.exec(line);
    if (match === null) return;
    m.method = match[1];
    m.uri = match[2];
    m.version = match[3] ?? '';
    const host = /\r\nHost:[ \t]*([^\r\n]*)/i.exec(text);
    if (host !== null) m.host = host[1].trim();
  }
  p.protocol = 'http';
  p.http = m;
  if (lineEnd < 0 || !text.includes('\r\n\r\n')) p.needsReassembly = p.payloadCaptured === p.payloadLength;
}

/** Bytes as Latin-1 text (one character per byte), decoded natively. */
function ascii(r: ByteReader, at: number, length: number): string {
  const d = r.data;
  return Buffer.from(d.buffer, d.byteOffset + at, length).toString('latin1');
}
