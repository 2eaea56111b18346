import type { ByteReader } from './byte-reader.js';
import { decodeEtherType } from './ethertype.js';
import { addAnomaly, type Packet } from './packet.js';

/**
 * Ethernet II with any stack of 802.1Q (0x8100), 802.1ad (0x88a8) and old QinQ (0x9100) tags
 * (IEEE 802.1Q-2018 9.6). A type field <= 1500 is an 802.3 length: the frame is LLC, decoded for
 * STP and CDP in ethertype.ts.
 */
const MAX_TAGS = 8;

export function decodeEthernet(r: ByteReader, p: Packet, offset: number): void {
  const check = r.checkRange(offset, 14);
  if (check !== 'ok') {
    addAnomaly(p, check, 'eth', `Ethernet header needs 14 bytes, ${r.available(offset)} captured`);
    p.protocol = 'eth';
    return;
  }
  p.ethDst = offset;
  p.ethSrc = offset + 6;
  let type = r.u16(offset + 12);
  let at = offset + 14;
  for (let tags = 0; type === 0x8100 || type === 0x88a8 || type === 0x9100; tags++) {
    if (tags === MAX_TAGS) {
      addAnomaly(p, 'malformed', 'vlan', `more than ${MAX_TAGS} VLAN tags`);
      p.protocol = 'eth';
      return;
    }
    const tagCheck = r.checkRange(at, 4);
    if (tagCheck !== 'ok') {
      addAnomaly(p, tagCheck, 'vlan', 'VLAN tag cut short');
      p.protocol = 'eth';
      return;
    }
    p.vlanIds.push(r.u16(at) & 0x0fff);
    p.tunnels.push(type === 0x8100 ? 'vlan' : 'qinq');
    type = r.u16(at + 2);
    at += 4;
  }
  decodeEtherType(r, p, type, at);
}
