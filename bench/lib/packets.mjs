// Frame encoder: Ethernet (optionally 802.1Q-tagged) / IPv4 or IPv6 / TCP or UDP, with valid lengths
// and correct IPv4 header, TCP and UDP checksums. Frames are written into a caller-owned scratch buffer.

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const ETHERNET_MIN_FRAME = 60; // without FCS; shorter frames get zero padding

/**
 * `path` describes one direction of a conversation:
 * { srcMac, dstMac, vlanId, ipVersion, srcIp, dstIp, ttl, flowLabel, nextIpId() }
 * `tcp`: { srcPort, dstPort, seq, ack, flags, window, options: 'syn' | 'timestamps' | 'none', mss, windowScale, tsval, tsecr }
 * `payload`: { message, offset, length } or null; message.write(buf, pos, offset, length) fills the bytes.
 * Returns the frame length.
 */
export function encodeTcpFrame(buf, path, tcp, payload) {
  const payloadLength = payload ? payload.length : 0;
  const tcpHeaderLength = 20 + tcpOptionsLength(tcp.options);
  const segmentLength = tcpHeaderLength + payloadLength;
  const l4 = writeLinkAndIp(buf, path, PROTO_TCP, segmentLength);

  buf.writeUInt16BE(tcp.srcPort, l4);
  buf.writeUInt16BE(tcp.dstPort, l4 + 2);
  buf.writeUInt32BE(tcp.seq >>> 0, l4 + 4);
  buf.writeUInt32BE(tcp.ack >>> 0, l4 + 8);
  buf[l4 + 12] = (tcpHeaderLength / 4) << 4;
  buf[l4 + 13] = tcp.flags;
  buf.writeUInt16BE(tcp.window, l4 + 14);
  buf.writeUInt16BE(0, l4 + 16); // checksum, filled below
  buf.writeUInt16BE(0, l4 + 18); // urgent pointer
  writeTcpOptions(buf, l4 + 20, tcp);
  if (payload) payload.message.write(buf, l4 + tcpHeaderLength, payload.offset, payloadLength);

  buf.writeUInt16BE(transportChecksum(buf, path.ipVersion, l4, segmentLength, PROTO_TCP), l4 + 16);
  return padFrame(buf, l4 + segmentLength);
}

/** `udp`: { srcPort, dstPort }; `data`: Buffer with the datagram payload. */
export function encodeUdpFrame(buf, path, udp, data) {
  const datagramLength = 8 + data.length;
  const l4 = writeLinkAndIp(buf, path, PROTO_UDP, datagramLength);
  buf.writeUInt16BE(udp.srcPort, l4);
  buf.writeUInt16BE(udp.dstPort, l4 + 2);
  buf.writeUInt16BE(datagramLength, l4 + 4);
  buf.writeUInt16BE(0, l4 + 6);
  data.copy(buf, l4 + 8);
  const checksum = transportChecksum(buf, path.ipVersion, l4, datagramLength, PROTO_UDP);
  buf.writeUInt16BE(checksum === 0 ? 0xffff : checksum, l4 + 6);
  return padFrame(buf, l4 + datagramLength);
}

function writeLinkAndIp(buf, path, protocol, l4Length) {
  let pos = writeEthernet(buf, path);
  if (path.ipVersion === 4) {
    writeIpv4Header(buf, pos, path, protocol, l4Length);
    return pos + 20;
  }
  writeIpv6Header(buf, pos, path, protocol, l4Length);
  return pos + 40;
}

function writeEthernet(buf, path) {
  path.dstMac.copy(buf, 0);
  path.srcMac.copy(buf, 6);
  const etherType = path.ipVersion === 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
  if (!path.vlanId) {
    buf.writeUInt16BE(etherType, 12);
    return 14;
  }
  buf.writeUInt16BE(ETHERTYPE_VLAN, 12);
  buf.writeUInt16BE(path.vlanId & 0x0fff, 14); // PCP 0, DEI 0
  buf.writeUInt16BE(etherType, 16);
  return 18;
}

function writeIpv4Header(buf, pos, path, protocol, l4Length) {
  buf[pos] = 0x45; // version 4, IHL 5
  buf[pos + 1] = 0; // DSCP/ECN
  buf.writeUInt16BE(20 + l4Length, pos + 2);
  buf.writeUInt16BE(path.nextIpId(), pos + 4);
  buf.writeUInt16BE(protocol === PROTO_TCP ? 0x4000 : 0, pos + 6); // DF for TCP
  buf[pos + 8] = path.ttl;
  buf[pos + 9] = protocol;
  buf.writeUInt16BE(0, pos + 10);
  path.srcIp.copy(buf, pos + 12);
  path.dstIp.copy(buf, pos + 16);
  buf.writeUInt16BE(finishChecksum(sumWords(buf, pos, pos + 20, 0)), pos + 10);
}

function writeIpv6Header(buf, pos, path, protocol, l4Length) {
  buf.writeUInt32BE((6 << 28) | (path.flowLabel & 0xfffff), pos);
  buf.writeUInt16BE(l4Length, pos + 4);
  buf[pos + 6] = protocol;
  buf[pos + 7] = path.ttl; // hop limit
  path.srcIp.copy(buf, pos + 8);
  path.dstIp.copy(buf, pos + 24);
}

function tcpOptionsLength(options) {
  if (options === 'syn') return 20;
  if (options === 'timestamps') return 12;
  return 0;
}

function writeTcpOptions(buf, pos, tcp) {
  if (tcp.options === 'syn') {
    // Linux order: MSS, SACK permitted, timestamps, NOP, window scale.
    buf[pos] = 2; buf[pos + 1] = 4; buf.writeUInt16BE(tcp.mss, pos + 2);
    buf[pos + 4] = 4; buf[pos + 5] = 2;
    writeTimestampOption(buf, pos + 6, tcp);
    buf[pos + 16] = 1;
    buf[pos + 17] = 3; buf[pos + 18] = 3; buf[pos + 19] = tcp.windowScale;
  } else if (tcp.options === 'timestamps') {
    buf[pos] = 1; buf[pos + 1] = 1;
    writeTimestampOption(buf, pos + 2, tcp);
  }
}

function writeTimestampOption(buf, pos, tcp) {
  buf[pos] = 8;
  buf[pos + 1] = 10;
  buf.writeUInt32BE(tcp.tsval >>> 0, pos + 2);
  buf.writeUInt32BE(tcp.tsecr >>> 0, pos + 6);
}

function transportChecksum(buf, ipVersion, l4, l4Length, protocol) {
  // Pseudo-header: the addresses sit right before the transport header in both IP versions.
  const addressBytes = ipVersion === 4 ? 8 : 32;
  let sum = sumWords(buf, l4 - addressBytes, l4, 0);
  sum += protocol + l4Length;
  return finishChecksum(sumWords(buf, l4, l4 + l4Length, sum));
}

function sumWords(buf, start, end, sum) {
  let i = start;
  for (; i + 1 < end; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (i < end) sum += buf[i] << 8;
  return sum;
}

function finishChecksum(sum) {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return ~sum & 0xffff;
}

function padFrame(buf, length) {
  if (length >= ETHERNET_MIN_FRAME) return length;
  buf.fill(0, length, ETHERNET_MIN_FRAME);
  return ETHERNET_MIN_FRAME;
}
