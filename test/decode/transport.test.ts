import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/decode/decode-frame.js';
import { TCP_ACK, TCP_AE, TCP_CWR, TCP_ECE, TCP_SYN } from '../../src/decode/packet.js';
import { tcpFlagNames } from '../../src/report/packet-json.js';
import { concat, ethernet, hex, ipv4, udp } from './hex.js';

describe('TCP', () => {
  it('an ECN-setup SYN with every option netcase reasons about', () => {
    const f = concat(
      ethernet(0x0800),
      ipv4(6, 40),
      hex`c350 01bb          # ports 50000 -> 443
          00000064 00000000 # seq 100, ack 0
          a 0c2             # data offset 10 (40 bytes); flags CWR ECE SYN
          faf0 0000 0000    # window 64240; checksum; urgent
          020405b4          # MSS 1460
          0402              # SACK permitted
          080a 0001e240 00000000  # timestamps 123456 / 0
          01                # NOP
          030307            # window scale 7`,
    );
    const p = decodeFrame(f, 1);
    expect(tcpFlagNames(p.tcpFlags)).toEqual(['SYN', 'ECE', 'CWR']);
    expect(p.tcpFlags).toBe(TCP_SYN | TCP_ECE | TCP_CWR);
    expect({ mss: p.mss, ws: p.windowScale, sack: p.sackPermitted, tsVal: p.tsVal, tsEcr: p.tsEcr, win: p.tcpWindow, len: p.payloadLength }).toEqual({
      mss: 1460,
      ws: 7,
      sack: true,
      tsVal: 123456,
      tsEcr: 0,
      win: 64240,
      len: 0,
    });
  });

  it('SACK blocks as absolute pairs; AE (the former NS bit) is read', () => {
    const f = concat(ethernet(0x0800), ipv4(6, 44), hex`01bb c350 00000001 00000002 b 110 ffff 0000 0000  0101 0512 00001000 00002000 00003000 00004000 00000000`);
    const p = decodeFrame(f, 1);
    expect(p.sackBlocks).toEqual([0x1000, 0x2000, 0x3000, 0x4000]);
    expect(p.tcpFlags).toBe(TCP_AE | TCP_ACK);
    expect(tcpFlagNames(p.tcpFlags)).toEqual(['ACK', 'AE']);
  });

  it('payload length comes from the IP length, not the captured bytes', () => {
    const f = concat(ethernet(0x0800), ipv4(6, 20 + 1000), hex`c350 0050 00000001 00000001 5 018 ffff 0000 0000`, new Uint8Array(40));
    const p = decodeFrame(f, 1, 14 + 20 + 20 + 1000);
    expect([p.payloadLength, p.payloadCaptured, p.anomalies.length]).toEqual([1000, 40, 0]);
  });

  it('a data offset below 5 or beyond the segment is malformed; an option longer than the header too', () => {
    const low = concat(ethernet(0x0800), ipv4(6, 20), hex`c350 0050 00000001 00000001 4 018 ffff 0000 0000`);
    expect(decodeFrame(low, 1).anomalies[0].message).toMatch(/header length 16 is below/);
    const high = concat(ethernet(0x0800), ipv4(6, 20), hex`c350 0050 00000001 00000001 f 018 ffff 0000 0000`);
    expect(decodeFrame(high, 1).anomalies[0].message).toMatch(/header length 60 exceeds the 20-byte segment/);
    const option = concat(ethernet(0x0800), ipv4(6, 24), hex`c350 0050 00000001 00000001 6 002 ffff 0000 0000 0209 0000`);
    expect(decodeFrame(option, 1).anomalies[0].message).toMatch(/option 2 claims 9 bytes/);
  });
});

describe('UDP', () => {
  it('length bounds the datagram; a length below 8 or beyond the IP packet is malformed', () => {
    const good = decodeFrame(concat(ethernet(0x0800), ipv4(17, 12), udp(1234, 9999, 4), hex`deadbeef`), 1);
    expect([good.protocol, good.udpLength, good.payloadLength]).toEqual(['udp', 12, 4]);
    const tiny = decodeFrame(concat(ethernet(0x0800), ipv4(17, 8), hex`04d2 270f 0004 0000`), 1);
    expect(tiny.anomalies[0].message).toMatch(/UDP length 4 is below/);
    const long = decodeFrame(concat(ethernet(0x0800), ipv4(17, 8), hex`04d2 270f 0040 0000`), 1);
    expect(long.anomalies[0].message).toMatch(/UDP length 64 runs past/);
  });

  it('well-known ports name protocols we do not decode yet', () => {
    expect(decodeFrame(concat(ethernet(0x0800), ipv4(17, 12), udp(50000, 443, 4), hex`c0000000`), 1).protocol).toBe('quic');
    expect(decodeFrame(concat(ethernet(0x0800), ipv4(6, 24), hex`c350 01bd 00000001 00000001 5 018 ffff 0000 0000 00000000`), 1).protocol).toBe('smb');
  });
});

describe('ICMP errors quote the packet they are about', () => {
  it('fragmentation needed quotes the TCP segment: addresses, ports and sequence number', () => {
    const quoted = concat(ipv4(6, 20, { src: '10.0.0.1', dst: '10.0.0.2' }), hex`c350 01bb 0000abcd`);
    const f = concat(ethernet(0x0800), ipv4(1, 8 + quoted.length, { src: '10.0.0.254', dst: '10.0.0.1' }), hex`03 04 0000 0000 0578 # type 3 code 4, next-hop MTU 1400`, quoted);
    const p = decodeFrame(f, 1);
    expect([p.protocol, p.icmpType, p.icmpCode]).toEqual(['icmp', 3, 4]);
    expect(p.icmpQuoted).toEqual({ ipVersion: 4, src: '10.0.0.1', dst: '10.0.0.2', ipProto: 6, ttl: 64, ipId: 0x1234, srcPort: 50000, dstPort: 443, tcpSeq: 0xabcd });
  });

  it('an ICMPv6 packet too big quotes an IPv6 header; a quote cut short is decoded as far as it goes', () => {
    const inner = hex`60000000 0014 06 40 fd000000000000000000000000000001 fd000000000000000000000000000002 c350 01bb`;
    const f = concat(ethernet(0x86dd), hex`60000000 0034 3a 40 fd0000000000000000000000000000fe fd000000000000000000000000000001`, hex`02 00 0000 000004d0`, inner);
    const p = decodeFrame(f, 1);
    expect(p.icmpQuoted).toMatchObject({ ipVersion: 6, src: 'fd00::1', dst: 'fd00::2', srcPort: 50000, dstPort: 443, tcpSeq: -1 });
    const cut = decodeFrame(concat(ethernet(0x0800), ipv4(1, 12), hex`03 03 0000 00000000 4500`), 1);
    expect([cut.icmpType, cut.icmpQuoted]).toEqual([3, null]);
  });
});
