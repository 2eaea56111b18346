import { describe, expect, it } from 'vitest';
import { formatIp, formatIpv6 } from '../../src/decode/address.js';
import { decodeFrame } from '../../src/decode/decode-frame.js';
import { concat, ethernet, hex, ipv4, udp } from './hex.js';

describe('IPv4', () => {
  it('reads TTL, id, DF, ECN and DSCP, and bounds the payload by the total length (padding is not payload)', () => {
    const f = concat(
      ethernet(0x0800),
      hex`45 b9 0024   # version 4, IHL 5; DSCP 46 (EF) + ECN 01 (ECT(1)); total length 36
          abcd 4000    # id 0xabcd; DF
          3f 11 0000   # TTL 63; UDP; checksum
          c0000201 c0000202`,
      udp(5000, 6000, 8),
      hex`0102030405060708`,
      hex`000000000000 # Ethernet padding after the IP packet`,
    );
    const p = decodeFrame(f, 1);
    expect({ ttl: p.ttl, id: p.ipId, df: p.df, ecn: p.ecn, dscp: p.dscp, len: p.payloadLength }).toEqual({ ttl: 63, id: 0xabcd, df: true, ecn: 1, dscp: 46, len: 8 });
    expect(formatIp(f, 4, p.srcAddr)).toBe('192.0.2.1');
  });

  it('a header length below 20 or a total length shorter than the header is malformed', () => {
    const short = concat(ethernet(0x0800), hex`44 00 0014 0000 0000 40 11 0000 c0000201 c0000202`);
    expect(decodeFrame(short, 1).anomalies[0]).toMatchObject({ kind: 'malformed', layer: 'ipv4' });
    const lying = concat(ethernet(0x0800), hex`45 00 0010 0000 0000 40 11 0000 c0000201 c0000202`);
    expect(decodeFrame(lying, 1).anomalies[0].message).toMatch(/total length 16 is shorter than its header/);
  });

  it('a total length beyond the frame is malformed; beyond the snaplen it is not', () => {
    const f = concat(ethernet(0x0800), ipv4(17, 100), udp(1, 2, 92));
    expect(decodeFrame(f, 1).anomalies[0]).toMatchObject({ kind: 'malformed', layer: 'ipv4' });
    const snapped = decodeFrame(f, 1, f.length + 92);
    expect(snapped.anomalies).toEqual([]);
    expect(snapped.payloadLength).toBe(92);
  });

  it('options are skipped by IHL; a later fragment stops at IP', () => {
    const withOptions = concat(ethernet(0x0800), hex`46 00 0020 0001 0000 40 11 0000 c0000201 c0000202 01010100`, udp(7, 9, 4), hex`00000000`);
    expect(decodeFrame(withOptions, 1).srcPort).toBe(7);
    const later = decodeFrame(concat(ethernet(0x0800), ipv4(17, 8, { flags: 0x2005 }), new Uint8Array(8)), 1);
    expect({ proto: later.protocol, mf: later.mf, off: later.fragmentOffset, port: later.srcPort }).toEqual({ proto: 'ipv4', mf: true, off: 40, port: -1 });
  });
});

describe('IPv6', () => {
  it('reads hop limit and traffic class ECN, and walks extension headers to the upper layer', () => {
    const f = concat(
      ethernet(0x86dd),
      hex`6 02 00000     # version 6; traffic class 0x02 (ECT(0)); flow label 0
          0020 00 40     # payload length 32; next header hop-by-hop; hop limit 64
          fd000000000000000000000000000001 fd000000000000000000000000000002
          3c 00 0104 00000000   # hop-by-hop: next = destination options, 8 bytes (PadN)
          11 00 0104 00000000   # destination options: next = UDP`,
      udp(5353, 5353, 8),
      hex`0000000000000000`,
    );
    const p = decodeFrame(f, 1);
    expect({ v: p.ipVersion, hop: p.ttl, ecn: p.ecn, proto: p.ipProto, port: p.srcPort }).toEqual({ v: 6, hop: 64, ecn: 2, proto: 17, port: 5353 });
    expect(formatIpv6(f, p.srcAddr)).toBe('fd00::1');
  });

  it('a fragment header records id and offset; a later fragment has no transport', () => {
    const f = concat(
      ethernet(0x86dd),
      hex`60000000 0010 2c 40 fd000000000000000000000000000001 fd000000000000000000000000000002
          11 00 05a9 0000abcd   # fragment: next UDP; offset 1448 (0x5a8), M=1; id 0xabcd`,
      new Uint8Array(8),
    );
    const p = decodeFrame(f, 1);
    expect({ frag: p.ipv6Fragment, off: p.fragmentOffset, mf: p.mf, id: p.ipId, port: p.srcPort }).toEqual({ frag: true, off: 1448, mf: true, id: 0xabcd, port: -1 });
  });

  it('an extension header that claims more bytes than the packet is malformed', () => {
    const f = concat(ethernet(0x86dd), hex`60000000 0008 00 40 fd000000000000000000000000000001 fd000000000000000000000000000002 11 05 0000 00000000`);
    expect(decodeFrame(f, 1).anomalies[0]).toMatchObject({ kind: 'malformed', layer: 'ipv6' });
  });

  it('formats addresses as RFC 5952 text', () => {
    const a = hex`20010db8000000000000000000000001 00000000000000000000ffffc0000201 20010db8000100000000000100000001`;
    expect(formatIpv6(a, 0)).toBe('2001:db8::1');
    expect(formatIpv6(a, 16)).toBe('::ffff:192.0.2.1');
    expect(formatIpv6(a, 32)).toBe('2001:db8:1::1:0:1');
  });
});
