import type { Packet } from './packet.js';

/**
 * Counts of what a capture holds, by layer, so frames we do not decode further (ARP, STP, unknown
 * link types or ethertypes) are counted by type rather than dropped silently.
 */
export class DecodeStats {
  frames = 0;
  readonly byProtocol = new Map<string, number>();
  readonly undecodedLinkTypes = new Map<number, number>();
  readonly otherEtherTypes = new Map<number, number>();
  readonly otherIpProtocols = new Map<number, number>();
  readonly tunnels = new Map<string, number>();
  readonly anomalies = new Map<string, number>();

  add(p: Packet, linkDecoded: boolean): void {
    this.frames++;
    bump(this.byProtocol, p.protocol);
    if (!linkDecoded) bump(this.undecodedLinkTypes, p.linkType);
    else if (p.protocol === 'eth' && p.etherType >= 0) bump(this.otherEtherTypes, p.etherType);
    else if ((p.protocol === 'ipv4' || p.protocol === 'ipv6') && p.fragmentOffset === 0 && p.ipProto >= 0) bump(this.otherIpProtocols, p.ipProto);
    for (const t of p.tunnels) bump(this.tunnels, t);
    for (const a of p.anomalies) bump(this.anomalies, `${a.layer}.${a.kind}`);
  }
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
