import type { ByteReader } from './byte-reader.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeMpls } from './mpls.js';
import type { Packet } from './packet.js';

/**
 * What follows a link header, by ethertype (IEEE registry). Ethertypes we do not decode are still
 * named in `p.etherType` so they are counted by type, never dropped silently.
 */
export function decodeEtherType(r: ByteReader, p: Packet, type: number, offset: number): void {
  p.etherType = type;
  switch (type) {
    case 0x0800:
      decodeIpv4(r, p, offset);
      return;
    case 0x86dd:
      decodeIpv6(r, p, offset);
      return;
    case 0x8847:
    case 0x8848:
      decodeMpls(r, p, offset);
      return;
    case 0x0806:
      p.protocol = 'arp';
      return;
    case 0x88cc:
      p.protocol = 'lldp';
      return;
    case 0x8809:
      p.protocol = 'lacp';
      return;
    default:
      if (type <= 1500) decodeLlc(r, p, offset);
      else p.protocol = 'eth';
  }
}

/** IEEE 802.2 LLC after an 802.3 length field: spanning tree (DSAP 0x42) and Cisco's SNAP protocols. */
function decodeLlc(r: ByteReader, p: Packet, offset: number): void {
  p.protocol = 'eth';
  if (r.checkRange(offset, 3) !== 'ok') return;
  const dsap = r.u8(offset);
  if (dsap === 0x42) p.protocol = 'stp';
  else if (dsap === 0xaa && r.checkRange(offset, 8) === 'ok' && r.u16(offset + 6) === 0x2000) p.protocol = 'cdp';
}
