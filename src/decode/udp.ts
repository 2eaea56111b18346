import type { ByteReader } from './byte-reader.js';
import { addAnomaly, TRANSPORT_UDP, type Packet } from './packet.js';
import { decodeUdpPayload } from './ports.js';

/** UDP (RFC 768): the length field bounds the datagram; the port table picks what is inside. */
export function decodeUdp(r: ByteReader, p: Packet, offset: number): void {
  p.protocol = 'udp';
  p.transport = TRANSPORT_UDP;
  const check = r.checkRange(offset, 8);
  if (check !== 'ok') {
    addAnomaly(p, check, 'udp', `UDP header needs 8 bytes, ${r.available(offset)} captured`);
    return;
  }
  p.srcPort = r.u16(offset);
  p.dstPort = r.u16(offset + 2);
  const length = r.u16(offset + 4);
  p.udpLength = length;
  if (length < 8) {
    addAnomaly(p, 'malformed', 'udp', `UDP length ${length} is below the 8-byte header`);
    return;
  }
  if (p.mf) {
    // The first fragment of a larger datagram: the rest of it is in later frames.
    p.payloadOffset = offset + 8;
    p.payloadLength = length - 8;
    p.payloadCaptured = r.available(p.payloadOffset);
    return;
  }
  if (offset + length > r.reportedEnd) {
    addAnomaly(p, 'malformed', 'udp', `UDP length ${length} runs past the end of the IP packet`);
  } else {
    r.limitReported(offset + length);
  }
  p.payloadOffset = offset + 8;
  p.payloadLength = r.reportedEnd - p.payloadOffset;
  p.payloadCaptured = Math.min(p.payloadLength, r.available(p.payloadOffset));
  decodeUdpPayload(r, p);
}
