import type { ByteReader } from './byte-reader.js';
import type { Packet } from './packet.js';

/**
 * TLS records (RFC 8446 5.1, RFC 5246 6.2) and the handshake messages inside them that fit in this
 * segment: ClientHello (legacy version, cipher suites, SNI, ALPN, supported_versions), ServerHello
 * (selected version and suite), Certificate (seen, not parsed here: chains span segments), Alert.
 * A record that continues past the segment sets needsReassembly; the flow engine joins segments.
 */
export interface TlsSummary {
  /** Content type of each record that starts in the segment (20 CCS, 21 alert, 22 handshake, 23 data). */
  contentTypes: number[];
  /** Handshake message types seen in plaintext handshake records (1 ClientHello, 2 ServerHello, 11 Certificate...). */
  handshakeTypes: number[];
  /** Record-layer version of the first record (0x0301..0x0304). */
  recordVersion: number;
  /** ClientHello: highest version offered; ServerHello: the version selected; else the record version. */
  version: number;
  /** ClientHello: legacy_version field; ServerHello: legacy version field; -1 otherwise. */
  handshakeVersion: number;
  sni: string;
  alpn: string[];
  /** ClientHello: offered suites; ServerHello: the one selected. */
  cipherSuites: number[];
  supportedVersions: number[];
  alert: { level: number; description: number } | null;
}

const HANDSHAKE_TYPES = new Set([0, 1, 2, 4, 5, 8, 11, 12, 13, 14, 15, 16, 20, 21, 22, 24, 25, 254]);

/** A record header at the start of the payload: content type 20..24, major version 3, minor 0..4. */
export function looksLikeTls(r: ByteReader, at: number, captured: number): boolean {
  if (captured < 5) return false;
  const type = r.u8(at);
  return type >= 20 && type <= 24 && r.u8(at + 1) === 3 && r.u8(at + 2) <= 4;
}

export function decodeTls(r: ByteReader, p: Packet): void {
  p.protocol = 'tls';
  const t: TlsSummary = {
    contentTypes: [],
    handshakeTypes: [],
    recordVersion: r.u16(p.payloadOffset + 1),
    version: r.u16(p.payloadOffset + 1),
    handshakeVersion: -1,
    sni: '',
    alpn: [],
    cipherSuites: [],
    supportedVersions: [],
    alert: null,
  };
  p.tls = t;
  const end = p.payloadOffset + p.payloadLength;
  let at = p.payloadOffset;
  for (let records = 0; at + 5 <= end && records < 64; records++) {
    if (r.checkRange(at, 5) !== 'ok') return;
    const type = r.u8(at);
    if (type < 20 || type > 24 || r.u8(at + 1) !== 3) return; // not a record boundary: stop quietly
    const length = r.u16(at + 3);
    t.contentTypes.push(type);
    const body = at + 5;
    if (body + length > end) {
      p.needsReassembly = true;
      if (type === 22) readHandshakes(r, t, body, Math.min(end, body + length), true);
      return;
    }
    if (r.checkRange(body, length) !== 'ok') return; // cut by the snaplen
    if (type === 22) readHandshakes(r, t, body, body + length, false);
    else if (type === 21 && length === 2) t.alert = { level: r.u8(body), description: r.u8(body + 1) };
    at = body + length;
  }
  if (at < end && at + 5 > end) p.needsReassembly = true;
}

/** Handshake messages in a record body; an encrypted Finished reads as noise and is skipped. */
function readHandshakes(r: ByteReader, t: TlsSummary, start: number, end: number, partial: boolean): void {
  let at = start;
  while (at + 4 <= end && r.checkRange(at, 4) === 'ok') {
    const type = r.u8(at);
    const length = (r.u8(at + 1) << 16) | r.u16(at + 2);
    if (!HANDSHAKE_TYPES.has(type) || (!partial && at + 4 + length > end)) return; // encrypted
    t.handshakeTypes.push(type);
    const body = at + 4;
    const available = Math.min(end, body + length);
    if (r.checkRange(body, available - body) !== 'ok') return;
    if (type === 1) readHello(r, t, body, available, true);
    else if (type === 2) readHello(r, t, body, available, false);
    at = body + length;
  }
}

/** ClientHello / ServerHello (RFC 8446 4.1.2, 4.1.3). Reads as far as the bytes go. */
function readHello(r: ByteReader, t: TlsSummary, start: number, end: number, client: boolean): void {
  if (start + 35 > end) return;
  t.handshakeVersion = r.u16(start);
  t.version = t.handshakeVersion;
  let at = start + 34;
  at += 1 + r.u8(at); // session id
  if (client) {
    if (at + 2 > end) return;
    const suitesLength = r.u16(at);
    for (let s = at + 2; s + 2 <= Math.min(end, at + 2 + suitesLength); s += 2) t.cipherSuites.push(r.u16(s));
    at += 2 + suitesLength;
    if (at + 1 > end) return;
    at += 1 + r.u8(at); // compression methods
  } else {
    if (at + 3 > end) return;
    t.cipherSuites.push(r.u16(at));
    at += 3; // suite + compression
  }
  if (at + 2 > end) return;
  const extensionsEnd = Math.min(end, at + 2 + r.u16(at));
  at += 2;
  while (at + 4 <= extensionsEnd) {
    const type = r.u16(at);
    const length = r.u16(at + 2);
    const body = at + 4;
    if (body + length > extensionsEnd) return;
    if (type === 0 && client) readSni(r, t, body, body + length);
    else if (type === 16) readAlpn(r, t, body, body + length);
    else if (type === 43) readSupportedVersions(r, t, body, length, client);
    at = body + length;
  }
  if (t.supportedVersions.length > 0) {
    // supported_versions overrides the legacy field; GREASE values (0x?a?a) are not versions.
    const real = t.supportedVersions.filter((v) => (v & 0x0f0f) !== 0x0a0a);
    if (real.length > 0) t.version = Math.max(...real);
  }
}

function readSni(r: ByteReader, t: TlsSummary, start: number, end: number): void {
  let at = start + 2;
  while (at + 3 <= end) {
    const type = r.u8(at);
    const length = r.u16(at + 1);
    if (at + 3 + length > end) return;
    if (type === 0) {
      let s = '';
      for (let i = 0; i < length; i++) s += String.fromCharCode(r.u8(at + 3 + i));
      t.sni = s;
      return;
    }
    at += 3 + length;
  }
}

function readAlpn(r: ByteReader, t: TlsSummary, start: number, end: number): void {
  let at = start + 2;
  while (at + 1 <= end) {
    const length = r.u8(at);
    if (at + 1 + length > end) return;
    let s = '';
    for (let i = 0; i < length; i++) s += String.fromCharCode(r.u8(at + 1 + i));
    t.alpn.push(s);
    at += 1 + length;
  }
}

function readSupportedVersions(r: ByteReader, t: TlsSummary, start: number, length: number, client: boolean): void {
  if (!client) {
    if (length >= 2) t.supportedVersions.push(r.u16(start));
    return;
  }
  const listLength = r.u8(start);
  for (let at = start + 1; at + 2 <= start + 1 + Math.min(listLength, length - 1); at += 2) t.supportedVersions.push(r.u16(at));
}

/** "TLS 1.2" style names for version numbers. */
export function tlsVersionName(v: number): string {
  switch (v) {
    case 0x0300:
      return 'SSL 3.0';
    case 0x0301:
      return 'TLS 1.0';
    case 0x0302:
      return 'TLS 1.1';
    case 0x0303:
      return 'TLS 1.2';
    case 0x0304:
      return 'TLS 1.3';
    default:
      return `0x${v.toString(16).padStart(4, '0')}`;
  }
}
