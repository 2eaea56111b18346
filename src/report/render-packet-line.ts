import { formatIp, formatMac } from '../decode/address.js';
import type { DecodeStats } from '../decode/decode-stats.js';
import { dnsRcodeName, dnsTypeName } from '../decode/dns-names.js';
import type { Packet } from '../decode/packet.js';
import { analysisFlagNames } from '../flows/tcp-analysis.js';
import { tcpFlagNames } from './packet-json.js';

/** One tshark-like summary line: number, relative time, source -> destination, protocol, info. */
export function renderPacketLine(p: Packet, data: Uint8Array, number: number, relativeSeconds: number, length: number, tcpAnalysis = 0): string {
  let src = '';
  let dst = '';
  if (p.ipVersion !== 0) {
    src = formatIp(data, p.ipVersion, p.srcAddr);
    dst = formatIp(data, p.ipVersion, p.dstAddr);
  } else if (p.ethSrc >= 0) {
    src = formatMac(data, p.ethSrc);
    dst = p.ethDst >= 0 ? formatMac(data, p.ethDst) : '';
  }
  const time = relativeSeconds.toFixed(6).padStart(11);
  const labels = tcpAnalysis === 0 ? '' : analysisFlagNames(tcpAnalysis).map((n) => `[${n}] `).join('');
  return `${String(number).padStart(6)} ${time} ${src} → ${dst} ${p.protocol.toUpperCase()} ${length} ${labels}${packetInfo(p)}`;
}

const ICMP_NAMES: Record<number, string> = { 0: 'Echo reply', 3: 'Destination unreachable', 5: 'Redirect', 8: 'Echo request', 11: 'Time exceeded' };
const ICMPV6_NAMES: Record<number, string> = { 1: 'Destination unreachable', 2: 'Packet too big', 3: 'Time exceeded', 128: 'Echo request', 129: 'Echo reply', 133: 'Router solicitation', 134: 'Router advertisement', 135: 'Neighbor solicitation', 136: 'Neighbor advertisement', 143: 'Multicast listener report v2' };
const HANDSHAKE_NAMES: Record<number, string> = { 1: 'Client Hello', 2: 'Server Hello', 4: 'New Session Ticket', 8: 'Encrypted Extensions', 11: 'Certificate', 12: 'Server Key Exchange', 13: 'Certificate Request', 14: 'Server Hello Done', 15: 'Certificate Verify', 16: 'Client Key Exchange', 20: 'Finished' };
const CONTENT_NAMES: Record<number, string> = { 20: 'Change Cipher Spec', 21: 'Alert', 22: 'Handshake', 23: 'Application Data', 24: 'Heartbeat' };

export function packetInfo(p: Packet): string {
  const parts: string[] = [];
  if (p.dns !== null) {
    const d = p.dns;
    const kind = d.response ? 'Standard query response' : 'Standard query';
    let text = `${kind} 0x${d.id.toString(16).padStart(4, '0')}${d.questionCount > 0 ? ` ${dnsTypeName(d.qtype)} ${d.qname}` : ''}`;
    if (d.response && d.rcode !== 0) text += ` ${dnsRcodeName(d.rcode)}`;
    for (const a of d.answers) text += ` ${dnsTypeName(a.type)} ${a.data}`;
    parts.push(text);
  } else if (p.nbns !== null) {
    const n = p.nbns;
    parts.push(`Name ${n.type === 0x21 ? 'status' : 'query'}${n.response ? ' response' : ''} ${n.type === 0x21 ? 'NBSTAT' : 'NB'} ${n.name}`);
  } else if (p.tls !== null) {
    const t = p.tls;
    const names = t.handshakeTypes.length > 0 ? t.handshakeTypes.map((h) => HANDSHAKE_NAMES[h] ?? `Handshake ${h}`) : t.contentTypes.map((c) => CONTENT_NAMES[c] ?? `Record ${c}`);
    let text = [...new Set(names)].join(', ');
    if (t.sni !== '') text += ` (SNI=${t.sni})`;
    if (t.alert !== null) text += ` (Level ${t.alert.level}, Description ${t.alert.description})`;
    parts.push(text);
  } else if (p.http !== null) {
    const h = p.http;
    parts.push(h.status >= 0 ? `${h.version} ${h.status}` : `${h.method} ${h.uri} ${h.version}`);
  } else if (p.transport === 6 && p.tcpHeaderLength >= 20) {
    parts.push(`${p.srcPort} → ${p.dstPort} [${tcpFlagNames(p.tcpFlags).join(', ')}] Seq=${p.tcpSeq} Ack=${p.tcpAck} Win=${p.tcpWindow} Len=${p.payloadLength}`);
  } else if (p.udpLength >= 0) {
    parts.push(`${p.srcPort} → ${p.dstPort} Len=${Math.max(0, p.udpLength - 8)}`);
  } else if (p.icmpType >= 0) {
    const names = p.transport === 1 ? ICMP_NAMES : ICMPV6_NAMES;
    let text = `${names[p.icmpType] ?? `Type ${p.icmpType}`} (code ${p.icmpCode})`;
    const q = p.icmpQuoted;
    if (q !== null) text += ` for ${q.src}${q.srcPort >= 0 ? `:${q.srcPort}` : ''} → ${q.dst}${q.dstPort >= 0 ? `:${q.dstPort}` : ''}`;
    parts.push(text);
  } else if (p.ipVersion !== 0 && p.fragmentOffset > 0) {
    parts.push(`Fragment (offset ${p.fragmentOffset}${p.mf ? ', more follow' : ''})`);
  } else if (p.etherType >= 0 && p.ipVersion === 0) {
    parts.push(`Ethertype 0x${p.etherType.toString(16).padStart(4, '0')}`);
  }
  if (p.tunnels.length > 0) parts.push(`[via ${p.tunnels.join(', ')}]`);
  for (const a of p.anomalies) parts.push(`[${a.kind}: ${a.message}]`);
  return parts.join(' ');
}

/** The closing summary of `netcase decode`: counts by protocol and what was not decoded further. */
export function renderDecodeStats(stats: DecodeStats): string {
  const list = <K>(m: Map<K, number>, key: (k: K) => string) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${key(k)} ${n}`).join(', ');
  const lines = [`# ${stats.frames} frames: ${list(stats.byProtocol, String)}`];
  if (stats.undecodedLinkTypes.size > 0) lines.push(`# link types not decoded: ${list(stats.undecodedLinkTypes, (k) => String(k))}`);
  if (stats.otherEtherTypes.size > 0) lines.push(`# other ethertypes: ${list(stats.otherEtherTypes, (k) => `0x${k.toString(16).padStart(4, '0')}`)}`);
  if (stats.otherIpProtocols.size > 0) lines.push(`# other IP protocols: ${list(stats.otherIpProtocols, String)}`);
  if (stats.tunnels.size > 0) lines.push(`# encapsulations: ${list(stats.tunnels, String)}`);
  if (stats.anomalies.size > 0) lines.push(`# anomalies: ${list(stats.anomalies, String)}`);
  return lines.join('\n') + '\n';
}
