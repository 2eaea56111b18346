// Application payloads: HTTP/1.1 text, TLS 1.3-style handshake records and application-data record
// streams, and DNS messages. A TCP payload is a "message": { length, write(buf, pos, offset, n) },
// so any byte range of it can be (re)produced on demand without holding bulk bodies in memory.

const PATTERN_BYTES = 1 << 20;
const TLS_MAX_RECORD = 16384;

/** Shared pseudo-random filler for bulk bodies (1 MiB, from the seeded PRNG). */
export function createPattern(rng) {
  return rng.fillBytes(Buffer.alloc(PATTERN_BYTES));
}

export function bytesMessage(bytes) {
  return {
    length: bytes.length,
    write: (buf, pos, offset, n) => bytes.copy(buf, pos, offset, offset + n),
  };
}

/** `length` opaque bytes, read from the pattern starting at `start` (wrapping around). */
export function patternMessage(pattern, start, length) {
  return { length, write: (buf, pos, offset, n) => copyPattern(pattern, start + offset, buf, pos, n) };
}

export function concatMessages(parts) {
  const starts = [];
  let length = 0;
  for (const part of parts) {
    starts.push(length);
    length += part.length;
  }
  function write(buf, pos, offset, n) {
    for (let i = 0; i < parts.length && n > 0; i++) {
      const partEnd = starts[i] + parts[i].length;
      if (offset >= partEnd) continue;
      const inPart = offset - starts[i];
      const take = Math.min(n, parts[i].length - inPart);
      parts[i].write(buf, pos, inPart, take);
      pos += take;
      offset += take;
      n -= take;
    }
  }
  return { length, write };
}

function copyPattern(pattern, start, buf, pos, n) {
  let from = start % pattern.length;
  while (n > 0) {
    const take = Math.min(n, pattern.length - from);
    pattern.copy(buf, pos, from, from + take);
    pos += take;
    n -= take;
    from = 0;
  }
}

// ---------------------------------------------------------------------------------------------- HTTP

export function httpRequest({ method = 'GET', host, path, userAgent, bodyLength = 0, pattern, patternStart = 0 }) {
  const lines = [
    `${method} ${path} HTTP/1.1`,
    `Host: ${host}`,
    `User-Agent: ${userAgent}`,
    'Accept: */*',
    'Accept-Encoding: gzip, deflate',
  ];
  if (bodyLength > 0) lines.push('Content-Type: application/octet-stream', `Content-Length: ${bodyLength}`);
  const head = bytesMessage(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'));
  return bodyLength > 0 ? concatMessages([head, patternMessage(pattern, patternStart, bodyLength)]) : head;
}

export function httpResponse({ status = 200, bodyLength, date, pattern, patternStart = 0 }) {
  const reason = { 200: 'OK', 204: 'No Content', 304: 'Not Modified', 404: 'Not Found' }[status];
  const hasBody = status === 200 || status === 404;
  const length = hasBody ? bodyLength : 0;
  const lines = [
    `HTTP/1.1 ${status} ${reason}`,
    'Server: nginx/1.24.0',
    `Date: ${date.toUTCString()}`,
    ...(hasBody ? ['Content-Type: application/octet-stream', `Content-Length: ${length}`] : []),
    'Connection: keep-alive',
  ];
  const head = bytesMessage(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'));
  return length > 0 ? concatMessages([head, patternMessage(pattern, patternStart, length)]) : head;
}

// ----------------------------------------------------------------------------------------------- TLS

const TLS_CONTENT_CHANGE_CIPHER_SPEC = 20;
const TLS_CONTENT_HANDSHAKE = 22;
const TLS_CONTENT_APPLICATION_DATA = 23;

function u8(n) { return Buffer.from([n]); }
function u16(n) { return Buffer.from([n >>> 8, n & 0xff]); }
function u24(n) { return Buffer.from([n >>> 16, (n >>> 8) & 0xff, n & 0xff]); }
/** Length-prefixed vector: prefix of 1, 2 or 3 bytes. */
function vec(prefixBytes, ...parts) {
  const body = Buffer.concat(parts);
  const prefix = [u8, u16, u24][prefixBytes - 1](body.length);
  return Buffer.concat([prefix, body]);
}
function extension(type, ...data) {
  return Buffer.concat([u16(type), vec(2, ...data)]);
}
function tlsRecord(contentType, legacyVersion, body) {
  return Buffer.concat([u8(contentType), u16(legacyVersion), vec(2, body)]);
}
function handshake(type, body) {
  return Buffer.concat([u8(type), vec(3, body)]);
}

const CLIENT_CIPHER_SUITES = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8];
const SIGNATURE_ALGORITHMS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

export function tlsClientHello({ serverName, random, sessionId, keyShare }) {
  const extensions = Buffer.concat([
    extension(0x0000, vec(2, u8(0), vec(2, Buffer.from(serverName, 'latin1')))), // server_name
    extension(0x000a, vec(2, ...[0x001d, 0x0017, 0x0018].map(u16))), // supported_groups
    extension(0x000b, vec(1, u8(0))), // ec_point_formats
    extension(0x000d, vec(2, ...SIGNATURE_ALGORITHMS.map(u16))), // signature_algorithms
    extension(0x0010, vec(2, vec(1, Buffer.from('h2')), vec(1, Buffer.from('http/1.1')))), // ALPN
    extension(0x002b, vec(1, u16(0x0304), u16(0x0303))), // supported_versions
    extension(0x002d, vec(1, u8(1))), // psk_key_exchange_modes
    extension(0x0033, vec(2, u16(0x001d), vec(2, keyShare))), // key_share
  ]);
  const body = Buffer.concat([
    u16(0x0303), random, vec(1, sessionId),
    vec(2, ...CLIENT_CIPHER_SUITES.map(u16)),
    vec(1, u8(0)),
    vec(2, extensions),
  ]);
  return tlsRecord(TLS_CONTENT_HANDSHAKE, 0x0301, handshake(1, body));
}

/** ServerHello + ChangeCipherSpec, as a TLS 1.3 server sends them before its encrypted flight. */
export function tlsServerHello({ random, sessionId, keyShare }) {
  const extensions = Buffer.concat([
    extension(0x002b, u16(0x0304)),
    extension(0x0033, u16(0x001d), vec(2, keyShare)),
  ]);
  const body = Buffer.concat([u16(0x0303), random, vec(1, sessionId), u16(0x1301), u8(0), vec(2, extensions)]);
  return Buffer.concat([
    tlsRecord(TLS_CONTENT_HANDSHAKE, 0x0303, handshake(2, body)),
    tlsChangeCipherSpec(),
  ]);
}

export function tlsChangeCipherSpec() {
  return tlsRecord(TLS_CONTENT_CHANGE_CIPHER_SPEC, 0x0303, u8(1));
}

/**
 * A stream of application-data records carrying `plaintextBytes` opaque bytes in total
 * (full 16 KiB records, then one shorter record).
 */
export function tlsApplicationData(pattern, patternStart, plaintextBytes) {
  const fullRecords = Math.floor(plaintextBytes / TLS_MAX_RECORD);
  const lastRecordBytes = plaintextBytes - fullRecords * TLS_MAX_RECORD;
  const recordSpan = 5 + TLS_MAX_RECORD;
  const recordCount = fullRecords + (lastRecordBytes > 0 ? 1 : 0);
  const length = fullRecords * recordSpan + (lastRecordBytes > 0 ? 5 + lastRecordBytes : 0);

  function headerByte(record, index) {
    const recordLength = record < fullRecords ? TLS_MAX_RECORD : lastRecordBytes;
    return [TLS_CONTENT_APPLICATION_DATA, 0x03, 0x03, recordLength >>> 8, recordLength & 0xff][index];
  }

  function write(buf, pos, offset, n) {
    copyPattern(pattern, patternStart + offset, buf, pos, n);
    const lastRecord = Math.min(Math.floor((offset + n - 1) / recordSpan), recordCount - 1);
    for (let record = Math.floor(offset / recordSpan); record <= lastRecord; record++) {
      const headerStart = record * recordSpan;
      const from = Math.max(headerStart, offset);
      const to = Math.min(headerStart + 5, offset + n);
      for (let at = from; at < to; at++) buf[pos + at - offset] = headerByte(record, at - headerStart);
    }
  }
  return { length, write };
}

// ----------------------------------------------------------------------------------------------- DNS

export const DNS_TYPE = { A: 1, PTR: 12, AAAA: 28 };
const DNS_CLASS_IN = 1;
const DNS_RCODE_NXDOMAIN = 3;
const POINTER_TO_QUESTION_NAME = 0xc00c;

function encodeDnsName(name) {
  const labels = name.split('.').filter(Boolean).map((label) => vec(1, Buffer.from(label, 'latin1')));
  return Buffer.concat([...labels, u8(0)]);
}

function dnsHeader({ id, flags, questions, answers }) {
  return Buffer.concat([u16(id), u16(flags), u16(questions), u16(answers), u16(0), u16(0)]);
}

function dnsQuestion(name, type) {
  return Buffer.concat([encodeDnsName(name), u16(type), u16(DNS_CLASS_IN)]);
}

export function dnsQuery({ id, name, type }) {
  const flags = 0x0100; // standard query, recursion desired
  return Buffer.concat([dnsHeader({ id, flags, questions: 1, answers: 0 }), dnsQuestion(name, type)]);
}

/**
 * `answers`: rdata for each answer record, all of the question's type: Buffer (4 or 16 bytes) for
 * A/AAAA, or a domain name string for PTR. `nxdomain` answers with rcode 3 and no records.
 */
export function dnsResponse({ id, name, type, answers, ttl, nxdomain = false }) {
  const flags = 0x8180 | (nxdomain ? DNS_RCODE_NXDOMAIN : 0); // response, RD, RA
  const records = nxdomain ? [] : answers.map((rdata) => {
    const data = typeof rdata === 'string' ? encodeDnsName(rdata) : rdata;
    return Buffer.concat([u16(POINTER_TO_QUESTION_NAME), u16(type), u16(DNS_CLASS_IN), u16(ttl >>> 16), u16(ttl & 0xffff), vec(2, data)]);
  });
  return Buffer.concat([
    dnsHeader({ id, flags, questions: 1, answers: records.length }),
    dnsQuestion(name, type),
    ...records,
  ]);
}

export function reverseName(ip) {
  if (ip.length === 4) return `${[...ip].reverse().join('.')}.in-addr.arpa`;
  const nibbles = [];
  for (const byte of ip) nibbles.push((byte >>> 4).toString(16), (byte & 0xf).toString(16));
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}
