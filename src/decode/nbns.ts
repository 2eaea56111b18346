import type { ByteReader } from './byte-reader.js';
import { addAnomaly, type Packet } from './packet.js';

/**
 * NetBIOS Name Service on UDP 137 (RFC 1002 4.2): DNS-shaped header; names are 16 bytes
 * (15 characters + a suffix byte naming the service) "half-ASCII" encoded into 32 letters.
 * Windows falls back to NBNS broadcasts when DNS fails, so a slow login often shows these.
 * Names print as Wireshark does: trailing spaces trimmed, suffix as <hh>.
 */
export interface NbnsMessage {
  id: number;
  response: boolean;
  opcode: number;
  rcode: number;
  /** Questions or answers count as declared. */
  questionCount: number;
  answerCount: number;
  name: string;
  /** 0x20 NB (name query), 0x21 NBSTAT (node status). */
  type: number;
}

export function decodeNbns(r: ByteReader, p: Packet): void {
  p.protocol = 'nbns';
  const start = p.payloadOffset;
  const check = r.checkRange(start, 12);
  if (check !== 'ok') {
    addAnomaly(p, check, 'nbns', `NBNS header needs 12 bytes, ${r.available(start)} captured`);
    return;
  }
  const flags = r.u16(start + 2);
  const m: NbnsMessage = {
    id: r.u16(start),
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0x0f,
    rcode: flags & 0x0f,
    questionCount: r.u16(start + 4),
    answerCount: r.u16(start + 6),
    name: '',
    type: 0,
  };
  p.nbns = m;
  if (m.questionCount === 0 && m.answerCount === 0) return;
  const at = start + 12;
  const nameCheck = r.checkRange(at, 34);
  if (nameCheck !== 'ok') {
    addAnomaly(p, nameCheck, 'nbns', 'NBNS name cut short');
    return;
  }
  const encodedLength = r.u8(at);
  if (encodedLength !== 32) {
    addAnomaly(p, 'malformed', 'nbns', `NBNS name has an encoded length of ${encodedLength}, not 32`);
    return;
  }
  m.name = decodeNetbiosName(r, at + 1);
  // Skip the scope labels to reach the type.
  let cursor = at + 33;
  for (let hops = 0; hops < 64; hops++) {
    if (r.checkRange(cursor, 1) !== 'ok') return;
    const len = r.u8(cursor);
    if (len === 0 || len >= 0xc0) break;
    cursor += 1 + len;
  }
  cursor += r.checkRange(cursor, 1) === 'ok' && r.u8(cursor) >= 0xc0 ? 2 : 1;
  if (r.checkRange(cursor, 2) === 'ok') m.type = r.u16(cursor);
}

function decodeNetbiosName(r: ByteReader, at: number): string {
  let text = '';
  for (let i = 0; i < 16; i++) {
    const hi = r.u8(at + 2 * i) - 0x41;
    const lo = r.u8(at + 2 * i + 1) - 0x41;
    const c = ((hi & 0x0f) << 4) | (lo & 0x0f);
    if (i < 15) text += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `<${c.toString(16).padStart(2, '0')}>`;
    else return `${text.replace(/ +$/, '')}<${c.toString(16).padStart(2, '0')}>`;
  }
  return text;
}
