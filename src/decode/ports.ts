import type { ByteReader } from './byte-reader.js';
import { decodeDns, decodeDnsOverTcp } from './dns.js';
import { decodeHttp, looksLikeHttp } from './http.js';
import { decodeNbns } from './nbns.js';
import type { Packet, Protocol } from './packet.js';
import { decodeTls, looksLikeTls } from './tls.js';
import { decodeVxlan } from './vxlan.js';

/**
 * Port tables: which decoder reads a transport payload. Like Wireshark's dissector tables, the lower
 * port is tried first (the server's, usually). Ports we only name (no decoder yet) still set the
 * protocol so summaries say what the traffic is.
 */
type PayloadDecoder = (r: ByteReader, p: Packet) => void;

const named =
  (protocol: Protocol): PayloadDecoder =>
  (_r, p) => {
    p.protocol = protocol;
  };

const dnsAs =
  (protocol: Protocol): PayloadDecoder =>
  (r, p) => {
    p.protocol = protocol;
    decodeDns(r, p, p.payloadOffset, p.payloadOffset + p.payloadLength);
  };

const UDP_PORTS = new Map<number, PayloadDecoder>([
  [53, dnsAs('dns')],
  [5353, dnsAs('mdns')],
  [5355, dnsAs('llmnr')],
  [137, decodeNbns],
  [138, named('netbios')],
  [4789, (r, p) => decodeVxlan(r, p, p.payloadOffset)],
  [443, named('quic')],
  [88, named('kerberos')],
  [389, named('ldap')],
  [123, named('ntp')],
  [161, named('snmp')],
  [162, named('snmp')],
  [67, named('dhcp')],
  [68, named('dhcp')],
  [1900, named('ssdp')],
]);

const TCP_PORTS = new Map<number, PayloadDecoder>([
  [53, decodeDnsOverTcp],
  [445, named('smb')],
  [139, named('netbios')],
  [88, named('kerberos')],
  [389, named('ldap')],
  [636, named('ldap')],
  [3268, named('ldap')],
  [1433, named('tds')],
  [3389, named('rdp')],
]);

function byPort(table: Map<number, PayloadDecoder>, p: Packet): PayloadDecoder | undefined {
  const low = p.srcPort < p.dstPort ? p.srcPort : p.dstPort;
  const high = p.srcPort < p.dstPort ? p.dstPort : p.srcPort;
  return table.get(low) ?? table.get(high);
}

export function decodeUdpPayload(r: ByteReader, p: Packet): void {
  byPort(UDP_PORTS, p)?.(r, p);
}

/**
 * TCP payloads: TLS and HTTP are recognised by their first bytes on any port (support engineers'
 * services run on odd ports); the port table covers the rest.
 */
export function decodeTcpPayload(r: ByteReader, p: Packet): void {
  if (p.payloadCaptured === 0) return;
  if (p.srcPort !== 53 && p.dstPort !== 53) {
    if (looksLikeTls(r, p.payloadOffset, p.payloadCaptured)) {
      decodeTls(r, p);
      return;
    }
    if (looksLikeHttp(r, p.payloadOffset, p.payloadCaptured)) {
      decodeHttp(r, p);
      return;
    }
  }
  byPort(TCP_PORTS, p)?.(r, p);
}
