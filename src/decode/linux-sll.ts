import type { ByteReader } from './byte-reader.js';
import { decodeEtherType } from './ethertype.js';
import { addAnomaly, type Packet } from './packet.js';

/**
 * Linux "cooked" captures from `tcpdump -i any`. SLL (link type 113): packet type u16, ARPHRD u16,
 * address length u16, 8 address bytes, protocol u16 (16 bytes). SLL2 (276): protocol u16, reserved
 * u16, interface index u32, ARPHRD u16, packet type u8, address length u8, 8 address bytes (20 bytes).
 * The protocol is an ethertype; for ARPHRD_ETHER the address is the sender's MAC.
 */
export function decodeSll(r: ByteReader, p: Packet, offset: number): void {
  const check = r.checkRange(offset, 16);
  if (check !== 'ok') {
    addAnomaly(p, check, 'sll', `Linux cooked header needs 16 bytes, ${r.available(offset)} captured`);
    return;
  }
  if (r.u16(offset + 4) === 6) p.ethSrc = offset + 6;
  decodeEtherType(r, p, r.u16(offset + 14), offset + 16);
}

export function decodeSll2(r: ByteReader, p: Packet, offset: number): void {
  const check = r.checkRange(offset, 20);
  if (check !== 'ok') {
    addAnomaly(p, check, 'sll2', `Linux cooked v2 header needs 20 bytes, ${r.available(offset)} captured`);
    return;
  }
  if (r.u8(offset + 11) === 6) p.ethSrc = offset + 12;
  decodeEtherType(r, p, r.u16(offset), offset + 20);
}
