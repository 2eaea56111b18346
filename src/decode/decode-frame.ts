import type { FrameBatch } from '../capture/types.js';
import { ByteReader } from './byte-reader.js';
import { decodeArcnet } from './arcnet.js';
import { decodeEthernet } from './ethernet.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeSll, decodeSll2 } from './linux-sll.js';
import { decodeNullLoopback, decodeRawIp } from './null-loopback.js';
import { addAnomaly, newPacket, resetPacket, type Packet } from './packet.js';
import { decodePpp } from './ppp.js';

/**
 * frame -> packet. The link-type table picks the first decoder; each layer hands on to the next
 * through its own table (ethertype, IP protocol, ports). No exception escapes: a decoder bug on a
 * hostile frame becomes a `malformed` anomaly on that packet.
 */
type LinkDecoder = (r: ByteReader, p: Packet, offset: number) => void;

const LINK_DECODERS = new Map<number, LinkDecoder>([
  [1, decodeEthernet],
  [113, decodeSll],
  [276, decodeSll2],
  [0, (r, p, o) => decodeNullLoopback(r, p, o, false)],
  [108, (r, p, o) => decodeNullLoopback(r, p, o, true)],
  [101, (r, p, o) => decodeRawIp(r, p, o, 0)],
  [12, (r, p, o) => decodeRawIp(r, p, o, 0)],
  [14, (r, p, o) => decodeRawIp(r, p, o, 0)],
  [228, decodeIpv4],
  [7, (r, p, o) => decodeArcnet(r, p, o, false)],
  [129, (r, p, o) => decodeArcnet(r, p, o, true)],
  [9, decodePpp],
  [50, decodePpp],
  [229, decodeIpv6],
]);

export function isDecodableLinkType(linkType: number): boolean {
  return LINK_DECODERS.has(linkType);
}

/**
 * Decodes frames into one reused Packet (read its fields before decoding the next frame; copy what
 * you keep). Not shared between threads or interleaved streams.
 */
export class FrameDecoder {
  readonly reader = new ByteReader();
  readonly packet = newPacket();

  decode(batch: FrameBatch, i: number): Packet {
    return this.decodeBytes(batch.data, batch.offset[i], batch.capturedLength[i], batch.originalLength[i], batch.linkType[i]);
  }

  decodeBytes(data: Uint8Array, start: number, capturedLength: number, originalLength: number, linkType: number): Packet {
    const p = this.packet;
    const r = this.reader;
    resetPacket(p, linkType);
    r.reset(data, start, capturedLength, originalLength);
    const decoder = LINK_DECODERS.get(linkType);
    if (decoder === undefined) return p;
    try {
      decoder(r, p, start);
    } catch (error) {
      addAnomaly(p, 'malformed', 'decoder', `decoder failure: ${(error as Error).message}`);
    }
    return p;
  }
}

/** Decodes one frame into a fresh Packet (tests, one-off use). The packet keeps views of `bytes`. */
export function decodeFrame(bytes: Uint8Array, linkType: number, originalLength = bytes.length): Packet {
  return new FrameDecoder().decodeBytes(bytes, 0, bytes.length, originalLength, linkType);
}
