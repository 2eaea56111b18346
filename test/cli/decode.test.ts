import { describe, expect, it } from 'vitest';
import { fixture } from '../capture/helpers.js';
import { netcase } from './run.js';

const RFC3339_NS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

describe('netcase decode --json', () => {
  const r = netcase(['decode', fixture('eth-usec.pcap'), '--json']);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));

  it('prints one object per frame, numbered from 1, with relative nanoseconds', () => {
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(lines).toHaveLength(50);
    expect(lines.map((l) => l.number)).toEqual(lines.map((_, i) => i + 1));
    expect(lines[0].timeNs).toBe(0);
    expect(lines.every((l) => RFC3339_NS.test(l.time))).toBe(true);
    expect(lines.every((l, i) => i === 0 || l.timeNs >= lines[i - 1].timeNs)).toBe(true);
  });

  it('a SYN: ip, tcp flags and options; absent layers are absent keys', () => {
    const syn = lines.find((l) => l.tcp?.flags.join() === 'SYN');
    expect(syn).toMatchObject({ protocol: 'tcp', src: '10.77.0.1', dst: '10.77.0.2', dstPort: 8080, ip: { version: 4, ttl: 64, df: true, ecn: 0 }, tcp: { ack: 0, len: 0, window: 64240, mss: 1460, sackPermitted: true } });
    expect(syn).not.toHaveProperty('udp');
    expect(syn).not.toHaveProperty('dns');
    expect(syn).not.toHaveProperty('anomalies');
  });

  it('DNS with names for type and rcode; ICMP errors describe the quoted header', () => {
    const nx = lines.find((l) => l.dns?.rcode === 3);
    expect(nx?.dns).toMatchObject({ response: true, qname: 'nosuch.netcase.test', qtype: 1, qtypeName: 'A', rcodeName: 'NXDOMAIN' });
    const unreachable = lines.find((l) => l.icmp?.type === 3);
    expect(unreachable).toMatchObject({ protocol: 'icmp', src: '10.77.0.2', dstPort: 33434, icmp: { code: 3, inner: { src: '10.77.0.1', dst: '10.77.0.2', proto: 17, dstPort: 33434 } } });
  });

  it('--limit stops early; non-IP frames carry MAC addresses', () => {
    const two = netcase(['decode', fixture('eth-usec.pcap'), '--json', '--limit', '2']).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(two).toHaveLength(2);
    expect(two[0]).toMatchObject({ protocol: 'arp', src: '02:6e:63:00:00:01', dst: 'ff:ff:ff:ff:ff:ff' });
  });
});

describe('netcase decode (text)', () => {
  it('one tshark-like line per frame and a summary by protocol', () => {
    const r = netcase(['decode', fixture('eth-usec.pcap')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => !l.startsWith('#'))).toHaveLength(50);
    expect(lines.find((l) => l.includes('Standard query response') && l.includes('NXDOMAIN'))).toBeDefined();
    expect(lines.at(-1)).toMatch(/^# 50 frames: tcp \d+, .*arp 2/);
  });

  it('bad usage exits 2 with one line', () => {
    const r = netcase(['decode', fixture('eth-usec.pcap'), '--limit', 'lots']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/--limit takes a whole number/);
  });
});
