import type { ByteReader } from './byte-reader.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { addAnomaly, type Packet } from './packet.js';

/**
 * PPP (link types 9 and 50, RFC 1661 / RFC 1662): an optional address-and-control pair 0xff 0x03,
 * then the protocol field (1 byte when compressed: its low bit is set), 0x0021 IPv4, 0x0057 IPv6.
 */
export function decodePpp(r: ByteReader, p: Packet, offset: number): void {
  const check = r.checkRange(offset, 2);
  if (check !== 'ok') {
    addAnomaly(p, check, 'ppp', 'PPP header cut short');
    return;
  }
  let at = offset;
  if (r.u8(at) === 0xff && r.u8(at + 1) === 0x03) at += 2;
  if (r.checkRange(at, 1) !== 'ok') return;
  let protocol = r.u8(at);
  if (protocol & 1) {
    at += 1; // compressed protocol field (RFC 1661 6.5)
  } else {
    if (r.checkRange(at, 2) !== 'ok') return;
    protocol = r.u16(at);
    at += 2;
  }
  if (protocol === 0x21) decodeIpv4(r, p, at);
  else if (protocol === 0x57) decodeIpv6(r, p, at);
  else p.protocol = 'other';
}
