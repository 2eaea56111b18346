import type { ByteReader } from './byte-reader.js';
import { decodeIpPayload } from './ip-protocol.js';
import { addAnomaly, type Packet } from './packet.js';

/**
 * IPv6 (RFC 8200) and its extension headers: hop-by-hop (0), routing (43), fragment (44),
 * destination options (60), authentication (51, RFC 4302: length in 4-byte units), mobility (135).
 */
const MAX_EXTENSION_HEADERS = 16;

export function decodeIpv6(r: ByteReader, p: Packet, offset: number): void {
  p.protocol = 'ipv6';
  const check = r.checkRange(offset, 40);
  if (check !== 'ok') {
    addAnomaly(p, check, 'ipv6', `IPv6 header needs 40 bytes, ${r.available(offset)} captured`);
    return;
  }
  const word = r.u32(offset);
  if (word >>> 28 !== 6) {
    addAnomaly(p, 'malformed', 'ipv6', `IP version field says ${word >>> 28}, not 6`);
    return;
  }
  const trafficClass = (word >>> 20) & 0xff;
  const payloadLength = r.u16(offset + 4);
  p.ipVersion = 6;
  p.ipOffset = offset;
  p.ipHeaderLength = 40;
  p.ipTotalLength = 40 + payloadLength;
  p.dscp = trafficClass >> 2;
  p.ecn = trafficClass & 3;
  p.ttl = r.u8(offset + 7);
  p.srcAddr = offset + 8;
  p.dstAddr = offset + 24;
  if (offset + 40 + payloadLength > r.reportedEnd) {
    addAnomaly(p, 'malformed', 'ipv6', `IPv6 payload length ${payloadLength} runs past the end of the frame`);
  } else if (payloadLength > 0) {
    r.limitReported(offset + 40 + payloadLength);
  }
  let next = r.u8(offset + 6);
  let at = offset + 40;
  for (let n = 0; n <= MAX_EXTENSION_HEADERS; n++) {
    if (next !== 0 && next !== 43 && next !== 44 && next !== 60 && next !== 51 && next !== 135) break;
    if (n === MAX_EXTENSION_HEADERS) {
      addAnomaly(p, 'malformed', 'ipv6', `more than ${MAX_EXTENSION_HEADERS} extension headers`);
      p.ipProto = next;
      return;
    }
    const extCheck = r.checkRange(at, 8);
    if (extCheck !== 'ok') {
      addAnomaly(p, extCheck, 'ipv6', `IPv6 extension header ${next} cut short`);
      p.ipProto = next;
      return;
    }
    const following = r.u8(at);
    let length: number;
    if (next === 44) {
      const fragment = r.u16(at + 2);
      p.ipv6Fragment = true;
      p.fragmentOffset = fragment & 0xfff8;
      p.mf = (fragment & 1) !== 0;
      p.ipId = r.u32(at + 4);
      length = 8;
    } else if (next === 51) {
      length = (r.u8(at + 1) + 2) * 4;
    } else {
      length = (r.u8(at + 1) + 1) * 8;
    }
    const whole = r.checkRange(at, length);
    if (whole !== 'ok') {
      addAnomaly(p, whole, 'ipv6', `IPv6 extension header ${next} of ${length} bytes cut short`);
      p.ipProto = next;
      return;
    }
    next = following;
    at += length;
    if (p.ipv6Fragment && p.fragmentOffset > 0) {
      p.ipProto = next;
      return; // a later fragment
    }
  }
  p.ipProto = next;
  decodeIpPayload(r, p, next, at);
}
