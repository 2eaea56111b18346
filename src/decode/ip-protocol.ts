import type { ByteReader } from './byte-reader.js';
import { decodeGre } from './gre.js';
import { decodeIcmp, decodeIcmpv6 } from './icmp.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import type { Packet } from './packet.js';
import { decodeTcp } from './tcp.js';
import { decodeUdp } from './udp.js';

/** The IP protocol number table (IANA "Assigned Internet Protocol Numbers"). */
export function decodeIpPayload(r: ByteReader, p: Packet, proto: number, offset: number): void {
  switch (proto) {
    case 6:
      decodeTcp(r, p, offset);
      return;
    case 17:
      decodeUdp(r, p, offset);
      return;
    case 1:
      decodeIcmp(r, p, offset);
      return;
    case 58:
      decodeIcmpv6(r, p, offset);
      return;
    case 47:
      decodeGre(r, p, offset);
      return;
    case 4:
      p.tunnels.push('ipip');
      decodeIpv4(r, p, offset);
      return;
    case 41:
      p.tunnels.push('ip6in');
      decodeIpv6(r, p, offset);
      return;
    case 2:
      p.protocol = 'igmp';
      return;
    case 50:
      p.protocol = 'esp';
      return;
    case 132:
      p.protocol = 'sctp';
      return;
    default:
      return; // counted by IP protocol number from the packet
  }
}
