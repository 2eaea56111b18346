import type { ByteReader } from './byte-reader.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import type { Packet } from './packet.js';

/** At most this many labels are walked (real stacks have a handful). */
const MAX_LABELS = 16;

/**
 * MPLS (RFC 3032, ethertypes 0x8847 unicast / 0x8848 multicast): a stack of 4-byte label entries,
 * the last one with the bottom-of-stack bit; then the payload, which carries no type: IPv4 or IPv6
 * by its version nibble, as Wireshark guesses too. Anything else (pseudowires) stays undecoded.
 */
export function decodeMpls(r: ByteReader, p: Packet, offset: number): void {
  let at = offset;
  for (let i = 0; i < MAX_LABELS; i++) {
    if (r.checkRange(at, 4) !== 'ok') {
      p.protocol = 'eth';
      return;
    }
    const bottom = (r.u8(at + 2) & 1) === 1;
    at += 4;
    if (!bottom) continue;
    if (r.checkRange(at, 1) !== 'ok') break;
    const version = r.u8(at) >> 4;
    if (version === 4) decodeIpv4(r, p, at);
    else if (version === 6) decodeIpv6(r, p, at);
    else p.protocol = 'eth';
    return;
  }
  p.protocol = 'eth';
}
