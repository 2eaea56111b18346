import type { ByteReader } from './byte-reader.js';
import { decodeEthernet } from './ethernet.js';
import { decodeEtherType } from './ethertype.js';
import { addAnomaly, clearAboveLink, type Packet } from './packet.js';

/**
 * GRE (RFC 2784 / 2890): flags say whether checksum, key and sequence words follow. Inside: IP,
 * transparent Ethernet bridging (0x6558), or ERSPAN as mirror sessions send it: type II (0x88be,
 * 8-byte header) and type III (0x22eb, 12 bytes plus an optional 8-byte platform subheader).
 */
export function decodeGre(r: ByteReader, p: Packet, offset: number): void {
  p.protocol = 'gre';
  const check = r.checkRange(offset, 4);
  if (check !== 'ok') {
    addAnomaly(p, check, 'gre', 'GRE header cut short');
    return;
  }
  const flags = r.u16(offset);
  const protocol = r.u16(offset + 2);
  let at = offset + 4;
  if (flags & 0x8000) at += 4; // checksum + reserved
  if (flags & 0x2000) at += 4; // key
  if (flags & 0x1000) at += 4; // sequence number
  const optional = r.checkRange(offset, at - offset);
  if (optional !== 'ok') {
    addAnomaly(p, optional, 'gre', 'GRE optional fields cut short');
    return;
  }
  if (protocol === 0x88be || protocol === 0x22eb) {
    p.tunnels.push('erspan');
    let headerLength = 8;
    if (protocol === 0x22eb) {
      if (r.checkRange(at, 12) !== 'ok') return;
      headerLength = r.u8(at + 11) & 0x01 ? 20 : 12; // O bit: platform-specific subheader
    }
    clearAboveLink(p);
    decodeEthernet(r, p, at + headerLength);
    return;
  }
  p.tunnels.push('gre');
  if (protocol === 0x6558) {
    clearAboveLink(p);
    decodeEthernet(r, p, at);
  } else if (protocol === 0x0800 || protocol === 0x86dd) {
    clearAboveLink(p);
    decodeEtherType(r, p, protocol, at);
  }
}
