import type { Packet } from '../decode/packet.js';

/**
 * Endpoint addresses as numbers, so the flow table never builds a string per frame. An address is
 * four 32-bit words (IPv4 uses the first); `FlowKeyScratch` holds both endpoints of the current
 * packet and a direction-independent hash of them.
 */
export class FlowKeyScratch {
  readonly src = new Uint32Array(4);
  readonly dst = new Uint32Array(4);
  srcPort = 0;
  dstPort = 0;
  version = 0;
  hash = 0;

  load(p: Packet, data: Uint8Array): void {
    this.version = p.ipVersion;
    readWords(data, p.srcAddr, p.ipVersion, this.src);
    readWords(data, p.dstAddr, p.ipVersion, this.dst);
    this.srcPort = p.srcPort;
    this.dstPort = p.dstPort;
    const a = endpointHash(this.src, this.srcPort);
    const b = endpointHash(this.dst, this.dstPort);
    // Symmetric in the two endpoints, so both directions land in the same bucket.
    this.hash = Math.imul((a ^ b) + Math.imul(a + b, 0x9e3779b1), 0x85ebca6b) >>> 0;
  }
}

function readWords(d: Uint8Array, at: number, version: number, out: Uint32Array): void {
  const words = version === 6 ? 4 : 1;
  for (let i = 0; i < 4; i++) {
    if (i < words) {
      const o = at + 4 * i;
      out[i] = ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;
    } else {
      out[i] = 0;
    }
  }
}

function endpointHash(w: Uint32Array, port: number): number {
  let h = Math.imul(w[0] ^ 0x7feb352d, 0x846ca68b);
  h = Math.imul(h ^ w[1] ^ (h >>> 15), 0x846ca68b);
  h = Math.imul(h ^ w[2] ^ (h >>> 15), 0x846ca68b);
  h = Math.imul(h ^ w[3] ^ (h >>> 15), 0x846ca68b);
  return (h ^ port ^ (h >>> 16)) >>> 0;
}

/** An endpoint kept by a flow: address words, port, and its text (built once per flow). */
export interface Endpoint {
  words: Uint32Array;
  port: number;
  ip: string;
}

export function sameEndpoint(e: Endpoint, words: Uint32Array, port: number): boolean {
  return e.port === port && e.words[0] === words[0] && e.words[1] === words[1] && e.words[2] === words[2] && e.words[3] === words[3];
}

export function formatEndpoint(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

/** The address of a formatted endpoint ("10.0.0.1:80", "[fd00::1]:80"); a bare address as it is. */
export function endpointHost(endpoint: string): string {
  const v6 = /^\[(.*)\]:\d+$/.exec(endpoint);
  if (v6 !== null) return v6[1];
  const i = endpoint.lastIndexOf(':');
  return i > 0 && endpoint.indexOf(':') === i ? endpoint.slice(0, i) : endpoint;
}

/** The port of a formatted endpoint, or NaN for a bare address. */
export function endpointPort(endpoint: string): number {
  return endpointHost(endpoint) === endpoint ? NaN : Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
}
