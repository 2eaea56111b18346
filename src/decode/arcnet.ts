import type { ByteReader } from './byte-reader.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { addAnomaly, type Packet } from './packet.js';

/**
 * ARCNET (link types 7, BSD, and 129, Linux): source and destination station bytes, on Linux a
 * 2-byte offset, then a protocol id. RFC 1201 ids (IP 212, ARP 213, IPv6 196) are followed by a
 * split flag and a 2-byte sequence number; RFC 1051 ids (IP 240, ARP 241) are not.
 */
export function decodeArcnet(r: ByteReader, p: Packet, offset: number, linux: boolean): void {
  const idAt = offset + (linux ? 4 : 2);
  const check = r.checkRange(offset, idAt - offset + 1);
  if (check !== 'ok') {
    addAnomaly(p, check, 'arcnet', 'ARCNET header cut short');
    return;
  }
  const id = r.u8(idAt);
  switch (id) {
    case 240:
      decodeIpv4(r, p, idAt + 1);
      return;
    case 212:
      decodeIpv4(r, p, idAt + 4);
      return;
    case 196:
      decodeIpv6(r, p, idAt + 4);
      return;
    case 241:
    case 213:
      p.protocol = 'arp';
      return;
    default:
      p.protocol = 'other';
  }
}
