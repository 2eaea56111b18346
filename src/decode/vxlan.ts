import type { ByteReader } from './byte-reader.js';
import { decodeEthernet } from './ethernet.js';
import { addAnomaly, clearAboveLink, type Packet } from './packet.js';

/** VXLAN (RFC 7348) on UDP 4789: an 8-byte header (flags with the I bit, 24-bit VNI), then Ethernet. */
export function decodeVxlan(r: ByteReader, p: Packet, offset: number): void {
  const check = r.checkRange(offset, 8);
  if (check !== 'ok') {
    addAnomaly(p, check, 'vxlan', 'VXLAN header cut short');
    return;
  }
  if ((r.u8(offset) & 0x08) === 0) return; // I flag clear: not a VXLAN frame we can trust
  p.tunnels.push('vxlan');
  clearAboveLink(p);
  decodeEthernet(r, p, offset + 8);
}
