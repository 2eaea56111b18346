import type { ByteReader } from './byte-reader.js';
import { formatIpv4, formatIpv6 } from './address.js';
import { addAnomaly, TRANSPORT_ICMP, TRANSPORT_ICMPV6, type Packet, type QuotedHeader } from './packet.js';

/**
 * ICMP (RFC 792) and ICMPv6 (RFC 4443). Error messages quote the start of the packet that caused
 * them; we decode that quoted IP header and the first 8 bytes of its transport header, because the
 * error is about *that* connection (destination unreachable, fragmentation needed, packet too big,
 * time exceeded).
 */
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);
const ICMPV6_ERRORS = new Set([1, 2, 3, 4]);

export function decodeIcmp(r: ByteReader, p: Packet, offset: number): void {
  p.protocol = 'icmp';
  p.transport = TRANSPORT_ICMP;
  decodeMessage(r, p, offset, ICMP_ERRORS, 'icmp');
}

export function decodeIcmpv6(r: ByteReader, p: Packet, offset: number): void {
  p.protocol = 'icmpv6';
  p.transport = TRANSPORT_ICMPV6;
  decodeMessage(r, p, offset, ICMPV6_ERRORS, 'icmpv6');
}

function decodeMessage(r: ByteReader, p: Packet, offset: number, errors: Set<number>, layer: string): void {
  const check = r.checkRange(offset, 4);
  if (check !== 'ok') {
    addAnomaly(p, check, layer, `${layer.toUpperCase()} header needs 4 bytes, ${r.available(offset)} captured`);
    return;
  }
  p.icmpType = r.u8(offset);
  p.icmpCode = r.u8(offset + 1);
  // Fragmentation needed (RFC 1191: next-hop MTU in bytes 6-7) and packet too big (RFC 4443 3.2).
  if (layer === 'icmp' && p.icmpType === 3 && p.icmpCode === 4 && r.checkRange(offset, 8) === 'ok') p.icmpMtu = r.u16(offset + 6);
  else if (layer === 'icmpv6' && p.icmpType === 2 && r.checkRange(offset, 8) === 'ok') p.icmpMtu = r.u32(offset + 4);
  p.payloadOffset = offset + 8;
  p.payloadLength = Math.max(0, r.reportedEnd - offset - 8);
  p.payloadCaptured = Math.min(p.payloadLength, r.available(p.payloadOffset));
  if (errors.has(p.icmpType)) p.icmpQuoted = decodeQuoted(r, offset + 8);
}

/** The quoted header is often cut (RFC 792 quotes only 8 bytes past the IP header): decode what is there. */
function decodeQuoted(r: ByteReader, offset: number): QuotedHeader | null {
  if (r.checkRange(offset, 1) !== 'ok') return null;
  const version = r.u8(offset) >> 4;
  let transportAt: number;
  let quoted: QuotedHeader;
  if (version === 4 && r.checkRange(offset, 20) === 'ok') {
    const headerLength = (r.u8(offset) & 0x0f) * 4;
    quoted = {
      ipVersion: 4,
      src: formatIpv4(r.data, offset + 12),
      dst: formatIpv4(r.data, offset + 16),
      ipProto: r.u8(offset + 9),
      ttl: r.u8(offset + 8),
      ipId: r.u16(offset + 4),
      srcPort: -1,
      dstPort: -1,
      tcpSeq: -1,
    };
    transportAt = offset + Math.max(20, headerLength);
  } else if (version === 6 && r.checkRange(offset, 24) === 'ok') {
    // A snaplen may cut the quote inside the IPv6 header: keep what was captured, as Wireshark does.
    const whole = r.checkRange(offset, 40) === 'ok';
    quoted = {
      ipVersion: 6,
      src: formatIpv6(r.data, offset + 8),
      dst: whole ? formatIpv6(r.data, offset + 24) : '',
      ipProto: r.u8(offset + 6),
      ttl: r.u8(offset + 7),
      ipId: -1,
      srcPort: -1,
      dstPort: -1,
      tcpSeq: -1,
    };
    transportAt = offset + 40;
  } else {
    return null;
  }
  const hasPorts = quoted.ipProto === 6 || quoted.ipProto === 17 || quoted.ipProto === 132;
  if (hasPorts && r.checkRange(transportAt, 4) === 'ok') {
    quoted.srcPort = r.u16(transportAt);
    quoted.dstPort = r.u16(transportAt + 2);
    if (quoted.ipProto === 6 && r.checkRange(transportAt, 8) === 'ok') quoted.tcpSeq = r.u32(transportAt + 4);
  }
  return quoted;
}
