import type { ByteReader } from './byte-reader.js';
import { formatIpv4, formatIpv6 } from './address.js';
import { addAnomaly, type Packet } from './packet.js';

/**
 * DNS messages (RFC 1035), also as carried by mDNS (RFC 6762) and LLMNR (RFC 4795), which share
 * the wire format. Names follow compression pointers with loop protection: at most 64 jumps and
 * 255 bytes of name. Answers of type A, AAAA, PTR and CNAME are decoded; others are counted.
 */
export interface DnsAnswer {
  name: string;
  type: number;
  ttl: number;
  /** Address text for A/AAAA, the target name for PTR/CNAME, '' otherwise. */
  data: string;
}

export interface DnsMessage {
  id: number;
  response: boolean;
  opcode: number;
  rcode: number;
  authoritative: boolean;
  truncated: boolean;
  recursionDesired: boolean;
  recursionAvailable: boolean;
  questionCount: number;
  answerCount: number;
  authorityCount: number;
  additionalCount: number;
  /** First question; '' when there is none. */
  qname: string;
  qtype: number;
  qclass: number;
  answers: DnsAnswer[];
  /** A and AAAA records of the authority and additional sections (mDNS puts addresses there). */
  additional: DnsAnswer[];
}

const MAX_JUMPS = 64;
const MAX_NAME = 255;
const MAX_RECORDS = 256;

/** Decodes a DNS message in [start, end) (end: the declared end, may be beyond what was captured). */
export function decodeDns(r: ByteReader, p: Packet, start: number, end: number): void {
  const check = r.checkRange(start, 12);
  if (check !== 'ok') {
    addAnomaly(p, check, 'dns', `DNS header needs 12 bytes, ${r.available(start)} captured`);
    return;
  }
  const flags = r.u16(start + 2);
  const m: DnsMessage = {
    id: r.u16(start),
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0x0f,
    rcode: flags & 0x0f,
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    recursionDesired: (flags & 0x0100) !== 0,
    recursionAvailable: (flags & 0x0080) !== 0,
    questionCount: r.u16(start + 4),
    answerCount: r.u16(start + 6),
    authorityCount: r.u16(start + 8),
    additionalCount: r.u16(start + 10),
    qname: '',
    qtype: 0,
    qclass: 0,
    answers: [],
    additional: [],
  };
  p.dns = m;
  const names = new NameReader(r, start, end);
  let at = start + 12;
  for (let q = 0; q < Math.min(m.questionCount, MAX_RECORDS); q++) {
    const name = names.read(at);
    if (name === null || !fits(r, names.next, 4, end)) return problem(r, p, names.next, 4, end, 'question');
    if (q === 0) {
      m.qname = name;
      m.qtype = r.u16(names.next);
      m.qclass = r.u16(names.next + 2);
    }
    at = names.next + 4;
  }
  const records = Math.min(m.answerCount + m.authorityCount + m.additionalCount, MAX_RECORDS);
  for (let a = 0; a < records; a++) {
    const inAnswers = a < m.answerCount;
    const name = names.read(at);
    if (name === null || !fits(r, names.next, 10, end)) return inAnswers ? problem(r, p, names.next, 10, end, 'answer') : undefined;
    const type = r.u16(names.next);
    const ttl = r.u32(names.next + 4);
    const length = r.u16(names.next + 8);
    const rdata = names.next + 10;
    if (!fits(r, rdata, length, end)) return inAnswers ? problem(r, p, rdata, length, end, 'answer data') : undefined;
    let data = '';
    if (type === 1 && length === 4) data = formatIpv4(r.data, rdata);
    else if (type === 28 && length === 16) data = formatIpv6(r.data, rdata);
    else if (inAnswers && (type === 12 || type === 5)) data = names.read(rdata) ?? '';
    if (inAnswers) m.answers.push({ name, type, ttl, data });
    else if (data !== '') m.additional.push({ name, type, ttl, data });
    at = rdata + length;
  }
}

/** DNS over TCP (RFC 1035 4.2.2): a 2-byte length before each message. */
export function decodeDnsOverTcp(r: ByteReader, p: Packet): void {
  p.protocol = 'dns';
  if (p.payloadLength < 2 || r.checkRange(p.payloadOffset, 2) !== 'ok') return;
  const length = r.u16(p.payloadOffset);
  const start = p.payloadOffset + 2;
  if (2 + length > p.payloadLength) {
    p.needsReassembly = true;
    return;
  }
  decodeDns(r, p, start, start + length);
}

function fits(r: ByteReader, at: number, length: number, end: number): boolean {
  return at + length <= end && r.checkRange(at, length) === 'ok';
}

function problem(r: ByteReader, p: Packet, at: number, length: number, end: number, part: string): void {
  const kind = at + length > end ? 'malformed' : r.checkRange(at, length) === 'truncated' ? 'truncated' : 'malformed';
  addAnomaly(p, kind, 'dns', kind === 'truncated' ? `DNS ${part} cut short by the capture` : `DNS ${part} runs past the end of the message`);
}

/** Reads possibly compressed names; `next` is the offset just after the last name read. */
class NameReader {
  next = 0;

  constructor(
    private readonly r: ByteReader,
    private readonly messageStart: number,
    private readonly end: number,
  ) {}

  read(at: number): string | null {
    const r = this.r;
    const labels: string[] = [];
    let length = 0;
    let jumps = 0;
    let cursor = at;
    this.next = -1;
    for (;;) {
      if (cursor >= this.end || r.checkRange(cursor, 1) !== 'ok') return this.fail(cursor);
      const len = r.u8(cursor);
      if (len === 0) {
        if (this.next < 0) this.next = cursor + 1;
        break;
      }
      if ((len & 0xc0) === 0xc0) {
        if (cursor + 2 > this.end || r.checkRange(cursor, 2) !== 'ok') return this.fail(cursor);
        if (this.next < 0) this.next = cursor + 2;
        if (++jumps > MAX_JUMPS) return this.fail(cursor);
        cursor = this.messageStart + (r.u16(cursor) & 0x3fff);
        continue;
      }
      if ((len & 0xc0) !== 0) return this.fail(cursor); // 0x40 / 0x80: extended label types, unsupported
      if (cursor + 1 + len > this.end || r.checkRange(cursor + 1, len) !== 'ok') return this.fail(cursor);
      length += len + 1;
      if (length > MAX_NAME) return this.fail(cursor);
      labels.push(labelText(r.data, cursor + 1, len));
      cursor += 1 + len;
    }
    return labels.length === 0 ? '<Root>' : labels.join('.');
  }

  private fail(cursor: number): null {
    if (this.next < 0) this.next = cursor;
    return null;
  }
}

/** Label bytes as text; bytes outside printable ASCII are written \DDD (RFC 1035 5.1). */
function labelText(d: Uint8Array, at: number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const c = d[at + i];
    s += c > 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\${String(c).padStart(3, '0')}`;
  }
  return s;
}
