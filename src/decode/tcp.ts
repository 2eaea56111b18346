import type { ByteReader } from './byte-reader.js';
import { addAnomaly, TRANSPORT_TCP, type Packet } from './packet.js';
import { decodeTcpPayload } from './ports.js';

/**
 * TCP (RFC 9293) with the options netcase reasons about: MSS (2), window scale (3, RFC 7323),
 * SACK-permitted (4) and SACK blocks (5, RFC 2018), timestamps (8, RFC 7323). Flags include ECE and
 * CWR (RFC 3168) and AE, the former NS bit (RFC 3540 / AccECN). The payload length comes from the
 * IP length, not from what was captured, so snaplen-cut segments keep their true length.
 */
export function decodeTcp(r: ByteReader, p: Packet, offset: number): void {
  p.protocol = 'tcp';
  p.transport = TRANSPORT_TCP;
  const check = r.checkRange(offset, 20);
  if (check !== 'ok') {
    addAnomaly(p, check, 'tcp', `TCP header needs 20 bytes, ${r.available(offset)} captured`);
    if (r.checkRange(offset, 4) === 'ok') {
      p.srcPort = r.u16(offset);
      p.dstPort = r.u16(offset + 2);
    }
    return;
  }
  p.srcPort = r.u16(offset);
  p.dstPort = r.u16(offset + 2);
  p.tcpSeq = r.u32(offset + 4);
  p.tcpAck = r.u32(offset + 8);
  const offsetFlags = r.u16(offset + 12);
  const headerLength = (offsetFlags >> 12) * 4;
  p.tcpFlags = offsetFlags & 0x1ff;
  p.tcpWindow = r.u16(offset + 14);
  p.tcpHeaderLength = headerLength;
  if (headerLength < 20) {
    addAnomaly(p, 'malformed', 'tcp', `TCP header length ${headerLength} is below the minimum of 20`);
    return;
  }
  const segmentLength = r.reportedEnd - offset;
  if (headerLength > segmentLength) {
    addAnomaly(p, 'malformed', 'tcp', `TCP header length ${headerLength} exceeds the ${segmentLength}-byte segment`);
    return;
  }
  const optionsCheck = r.checkRange(offset, headerLength);
  if (optionsCheck !== 'ok') {
    addAnomaly(p, optionsCheck, 'tcp', 'TCP options cut short');
  } else if (headerLength > 20) {
    decodeOptions(r, p, offset + 20, offset + headerLength);
  }
  p.payloadOffset = offset + headerLength;
  p.payloadLength = segmentLength - headerLength;
  p.payloadCaptured = Math.min(p.payloadLength, r.available(p.payloadOffset));
  if (p.payloadLength > 0 && optionsCheck === 'ok') decodeTcpPayload(r, p);
}

function decodeOptions(r: ByteReader, p: Packet, start: number, end: number): void {
  let at = start;
  while (at < end) {
    const kind = r.u8(at);
    if (kind === 0) return;
    if (kind === 1) {
      at++;
      continue;
    }
    if (at + 1 >= end) break;
    const length = r.u8(at + 1);
    if (length < 2 || at + length > end) {
      addAnomaly(p, 'malformed', 'tcp', `TCP option ${kind} claims ${length} bytes`);
      return;
    }
    switch (kind) {
      case 2:
        if (length === 4) p.mss = r.u16(at + 2);
        break;
      case 3:
        if (length === 3) p.windowScale = r.u8(at + 2);
        break;
      case 4:
        p.sackPermitted = true;
        break;
      case 5:
        for (let b = at + 2; b + 8 <= at + length; b += 8) p.sackBlocks.push(r.u32(b), r.u32(b + 4));
        break;
      case 8:
        if (length === 10) {
          p.tsVal = r.u32(at + 2);
          p.tsEcr = r.u32(at + 6);
        }
        break;
      default:
        break;
    }
    at += length;
  }
}
