import { describe, expect, it } from 'vitest';
import { formatMac } from '../../src/decode/address.js';
import { decodeFrame } from '../../src/decode/decode-frame.js';
import { concat, ethernet, hex, ipv4, udp } from './hex.js';

const IPV4_UDP = concat(ipv4(17, 8), udp(1000, 2000, 0));

describe('Ethernet and VLAN tags', () => {
  it('Ethernet II carries MACs and the ethertype', () => {
    const f = concat(ethernet(0x0800), IPV4_UDP);
    const p = decodeFrame(f, 1);
    expect(formatMac(f, p.ethSrc)).toBe('02:00:00:00:00:01');
    expect(formatMac(f, p.ethDst)).toBe('02:00:00:00:00:02');
    expect([p.etherType, p.protocol, p.srcPort]).toEqual([0x0800, 'udp', 1000]);
  });

  it('MPLS label stacks are walked to the bottom of stack and IPv4 / IPv6 found by the version nibble', () => {
    const two = concat(hex`020000000002 020000000001 8847  00010 0ff  00020 1ff`, IPV4_UDP);
    expect([decodeFrame(two, 1).protocol, decodeFrame(two, 1).srcPort]).toEqual(['udp', 1000]);
    // A pseudowire (first nibble 0: a control word) is counted, not guessed at.
    const pw = concat(hex`020000000002 020000000001 8847 00010 1ff 00000000`, IPV4_UDP);
    expect([decodeFrame(pw, 1).etherType, decodeFrame(pw, 1).protocol]).toEqual([0x8847, 'eth']);
    // A stack that never ends inside the frame is undecoded, not an exception.
    const cut = hex`020000000002 020000000001 8847 00010 0ff 00020 0ff`;
    expect(decodeFrame(cut, 1).protocol).toBe('eth');
  });

  it('802.1Q and QinQ tags are peeled and their ids kept, outer first', () => {
    const f = concat(
      hex`020000000002 020000000001
          88a8 00c8     # 802.1ad outer tag, VLAN 200
          8100 2064     # 802.1Q inner tag, priority 1, VLAN 100
          0800          # IPv4`,
      IPV4_UDP,
    );
    const p = decodeFrame(f, 1);
    expect(p.vlanIds).toEqual([200, 100]);
    expect(p.tunnels).toEqual(['qinq', 'vlan']);
    expect(p.protocol).toBe('udp');
  });

  it('a tag cut by the snaplen is truncated; a header cut short is too', () => {
    const f = hex`020000000002 020000000001 8100 00`;
    expect(decodeFrame(f, 1, 64).anomalies).toEqual([{ kind: 'truncated', layer: 'vlan', message: 'VLAN tag cut short' }]);
    expect(decodeFrame(f.subarray(0, 10), 1, 60).anomalies[0]).toMatchObject({ kind: 'truncated', layer: 'eth' });
    expect(decodeFrame(f.subarray(0, 10), 1).anomalies[0]).toMatchObject({ kind: 'malformed', layer: 'eth' });
  });

  it('ARP, LLDP and spanning tree are named; unknown ethertypes keep their number', () => {
    expect(decodeFrame(concat(ethernet(0x0806), new Uint8Array(28)), 1).protocol).toBe('arp');
    expect(decodeFrame(concat(ethernet(0x88cc), new Uint8Array(20)), 1).protocol).toBe('lldp');
    const stp = concat(hex`0180c2000000 020000000001 0026 # 802.3 length 38`, hex`42 42 03 # LLC: DSAP/SSAP STP`, new Uint8Array(35));
    expect(decodeFrame(stp, 1).protocol).toBe('stp');
    const other = decodeFrame(concat(ethernet(0x88b5), new Uint8Array(4)), 1);
    expect([other.protocol, other.etherType]).toEqual(['eth', 0x88b5]);
  });
});

describe('Linux cooked captures', () => {
  it('SLL (113): 16-byte header, protocol at offset 14', () => {
    const f = concat(hex`0000 0001 0006 020000000001 0000 0800`, IPV4_UDP);
    const p = decodeFrame(f, 113);
    expect([p.protocol, p.etherType, formatMac(f, p.ethSrc)]).toEqual(['udp', 0x0800, '02:00:00:00:00:01']);
  });

  it('SLL2 (276): 20-byte header, protocol first', () => {
    const f = concat(hex`0800 0000 00000002 0001 04 06 020000000001 0000`, IPV4_UDP);
    const p = decodeFrame(f, 276);
    expect([p.protocol, p.etherType]).toEqual(['udp', 0x0800]);
  });
});

describe('BSD loopback and raw IP', () => {
  it('NULL (0) in either byte order, LOOP (108) in network order', () => {
    expect(decodeFrame(concat(hex`02000000 # AF_INET, little-endian host`, IPV4_UDP), 0).protocol).toBe('udp');
    expect(decodeFrame(concat(hex`00000002 # AF_INET, big-endian host`, IPV4_UDP), 0).protocol).toBe('udp');
    expect(decodeFrame(concat(hex`00000002`, IPV4_UDP), 108).protocol).toBe('udp');
  });

  it('raw IP (101) picks the version from the first nibble; 228 and 229 are fixed', () => {
    expect(decodeFrame(IPV4_UDP, 101).ipVersion).toBe(4);
    expect(decodeFrame(IPV4_UDP, 228).ipVersion).toBe(4);
    expect(decodeFrame(hex`70`, 101).anomalies[0]).toMatchObject({ kind: 'malformed', layer: 'ip' });
  });

  it('link types we do not decode leave the packet undecoded without anomalies', () => {
    const p = decodeFrame(hex`0102030405`, 195);
    expect([p.protocol, p.anomalies]).toEqual(['other', []]);
  });
});
