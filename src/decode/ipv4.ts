import type { ByteReader } from './byte-reader.js';
import { decodeIpPayload } from './ip-protocol.js';
import { addAnomaly, type Packet } from './packet.js';

/**
 * IPv4 (RFC 791). The total length bounds everything above it (Ethernet padding is not payload).
 * Non-first fragments carry no transport header; first fragments are decoded as far as they go.
 */
export function decodeIpv4(r: ByteReader, p: Packet, offset: number): void {
  p.protocol = 'ipv4';
  const check = r.checkRange(offset, 20);
  if (check !== 'ok') {
    addAnomaly(p, check, 'ipv4', `IPv4 header needs 20 bytes, ${r.available(offset)} captured`);
    return;
  }
  const first = r.u8(offset);
  const version = first >> 4;
  const headerLength = (first & 0x0f) * 4;
  if (version !== 4) {
    addAnomaly(p, 'malformed', 'ipv4', `IP version field says ${version}, not 4`);
    return;
  }
  if (headerLength < 20) {
    addAnomaly(p, 'malformed', 'ipv4', `IPv4 header length ${headerLength} is below the minimum of 20`);
    return;
  }
  const totalLength = r.u16(offset + 2);
  p.ipVersion = 4;
  p.ipOffset = offset;
  p.ipHeaderLength = headerLength;
  p.ipTotalLength = totalLength;
  const tos = r.u8(offset + 1);
  p.dscp = tos >> 2;
  p.ecn = tos & 3;
  p.ipId = r.u16(offset + 4);
  const flagsFragment = r.u16(offset + 6);
  p.df = (flagsFragment & 0x4000) !== 0;
  p.mf = (flagsFragment & 0x2000) !== 0;
  p.fragmentOffset = (flagsFragment & 0x1fff) * 8;
  p.ttl = r.u8(offset + 8);
  p.ipProto = r.u8(offset + 9);
  p.srcAddr = offset + 12;
  p.dstAddr = offset + 16;
  if (totalLength < headerLength) {
    addAnomaly(p, 'malformed', 'ipv4', `IPv4 total length ${totalLength} is shorter than its header (${headerLength})`);
    return;
  }
  if (offset + totalLength > r.reportedEnd) {
    addAnomaly(p, 'malformed', 'ipv4', `IPv4 total length ${totalLength} runs past the end of the frame`);
  } else {
    r.limitReported(offset + totalLength);
  }
  const optionsCheck = r.checkRange(offset, headerLength);
  if (optionsCheck !== 'ok') {
    addAnomaly(p, optionsCheck, 'ipv4', `IPv4 options cut short (header length ${headerLength})`);
    return;
  }
  if (p.fragmentOffset > 0) return; // a later fragment: its bytes continue an earlier datagram
  decodeIpPayload(r, p, p.ipProto, offset + headerLength);
}
