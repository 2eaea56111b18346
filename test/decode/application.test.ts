import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/decode/decode-frame.js';
import { concat, ethernet, hex, ipv4, tcpFrame, udp, udpFrame } from './hex.js';

const DNS_RESPONSE = hex`
  1234 8180 0001 0002 0000 0000        # id 0x1234; response, RD, RA, NOERROR; 1 question, 2 answers
  03 777777 07 6578616d706c65 03 636f6d 00 0001 0001   # www.example.com A IN
  c00c 0005 0001 0000012c 0002 c010    # answer: (ptr to www...) CNAME, TTL 300 -> example.com (pointer)
  c010 0001 0001 0000012c 0004 5db8d822 # answer: example.com A 93.184.216.34`;

describe('DNS', () => {
  it('reads header, question and A/CNAME answers through compression pointers', () => {
    const p = decodeFrame(udpFrame(53, 40000, DNS_RESPONSE), 1);
    expect(p.protocol).toBe('dns');
    expect(p.dns).toMatchObject({ id: 0x1234, response: true, opcode: 0, rcode: 0, qname: 'www.example.com', qtype: 1, answerCount: 2 });
    expect(p.dns?.answers).toEqual([
      { name: 'www.example.com', type: 5, ttl: 300, data: 'example.com' },
      { name: 'example.com', type: 1, ttl: 300, data: '93.184.216.34' },
    ]);
  });

  it('PTR answers and NXDOMAIN; mDNS and LLMNR use the same decoder', () => {
    const ptr = hex`0001 8183 0001 0000 0000 0000 01 34 01 33 01 32 01 31 07 696e2d61646472 04 61727061 00 000c 0001 # 4.3.2.1.in-addr.arpa PTR, NXDOMAIN`;
    const p = decodeFrame(udpFrame(53, 40000, ptr), 1);
    expect(p.dns).toMatchObject({ qname: '4.3.2.1.in-addr.arpa', qtype: 12, rcode: 3 });
    expect(decodeFrame(udpFrame(5353, 5353, ptr), 1).protocol).toBe('mdns');
    expect(decodeFrame(udpFrame(5355, 50000, ptr), 1).protocol).toBe('llmnr');
  });

  it('a compression loop is malformed, never an endless loop', () => {
    const loop = hex`0001 0100 0001 0000 0000 0000 c00c 0001 0001 # the name points at itself`;
    const p = decodeFrame(udpFrame(40000, 53, loop), 1);
    expect(p.anomalies.map((a) => [a.kind, a.layer])).toEqual([['malformed', 'dns']]);
  });

  it('counts that promise more records than the message holds are malformed; a snaplen cut is truncated', () => {
    const lying = hex`0001 8180 0001 0005 0000 0000 00 0001 0001 # 5 answers promised, none present`;
    expect(decodeFrame(udpFrame(53, 40000, lying), 1).anomalies[0]).toMatchObject({ kind: 'malformed', layer: 'dns' });
    const frame = udpFrame(53, 40000, DNS_RESPONSE);
    const cut = decodeFrame(frame.subarray(0, frame.length - 10), 1, frame.length);
    expect(cut.anomalies[0]).toMatchObject({ kind: 'truncated', layer: 'dns' });
    expect(cut.dns?.answers).toHaveLength(1);
  });

  it('DNS over TCP reads the length prefix; a message longer than the segment needs reassembly', () => {
    const msg = concat(hex`00 ${(DNS_RESPONSE.length).toString(16).padStart(2, '0')}`, DNS_RESPONSE);
    expect(decodeFrame(tcpFrame(53, 40000, msg), 1).dns?.qname).toBe('www.example.com');
    const partial = decodeFrame(tcpFrame(53, 40000, concat(hex`0400`, DNS_RESPONSE)), 1);
    expect([partial.protocol, partial.needsReassembly, partial.dns]).toEqual(['dns', true, null]);
  });
});

describe('NBNS', () => {
  it('decodes the half-ASCII name and its suffix, and NBSTAT queries', () => {
    // "FILESRV" padded with spaces, suffix 0x20 (file server service)
    const name = 'FILESRV'.padEnd(15, ' ') + '\x20';
    const encoded = Buffer.from([...name].flatMap((c) => [0x41 + (c.charCodeAt(0) >> 4), 0x41 + (c.charCodeAt(0) & 0x0f)]));
    const query = concat(hex`8001 0110 0001 0000 0000 0000 20`, encoded, hex`00 0020 0001 # NB IN`);
    const p = decodeFrame(udpFrame(137, 137, query), 1);
    expect(p.nbns).toMatchObject({ id: 0x8001, response: false, name: 'FILESRV<20>', type: 0x20 });
    const status = concat(hex`8002 0000 0001 0000 0000 0000 20 434b`, Buffer.alloc(30, 0x41), hex`00 0021 0001 # NBSTAT`);
    expect(decodeFrame(udpFrame(50000, 137, status), 1).nbns).toMatchObject({ name: '*<00><00><00><00><00><00><00><00><00><00><00><00><00><00><00>', type: 0x21 });
  });

  it('an encoded name length other than 32 is malformed', () => {
    const p = decodeFrame(udpFrame(137, 137, concat(hex`8001 0110 0001 0000 0000 0000 10`, Buffer.alloc(33, 0x41))), 1);
    expect(p.anomalies[0]).toMatchObject({ kind: 'malformed', layer: 'nbns' });
  });
});

/** A ClientHello offering TLS 1.3 and 1.2 with SNI and ALPN. */
const CLIENT_HELLO = hex`
  16 0301 0057                 # record: handshake, TLS 1.0 record version, 87 bytes
  01 000053                    # ClientHello, 83 bytes
  0303                         # legacy_version TLS 1.2
  ${'00'.repeat(32)}           # random
  00                           # no session id
  0004 1301 c02f               # two cipher suites
  01 00                        # compression: null
  0026                         # 38 bytes of extensions
  0000 0010 000e 00 000b 6578616d706c652e636f6d   # server_name: example.com
  0010 0005 0003 02 6832       # ALPN: h2
  002b 0005 04 0304 0303       # supported_versions: TLS 1.3, TLS 1.2`;

describe('TLS', () => {
  it('a ClientHello gives SNI, ALPN, suites and the highest version offered', () => {
    const p = decodeFrame(tcpFrame(50000, 443, CLIENT_HELLO), 1);
    expect(p.protocol).toBe('tls');
    expect(p.tls).toMatchObject({ contentTypes: [22], handshakeTypes: [1], recordVersion: 0x0301, handshakeVersion: 0x0303, version: 0x0304, sni: 'example.com', alpn: ['h2'], cipherSuites: [0x1301, 0xc02f], supportedVersions: [0x0304, 0x0303] });
    expect(p.needsReassembly).toBe(false);
  });

  it('a record that continues in the next segment needs reassembly; the hello start is still read', () => {
    const p = decodeFrame(tcpFrame(50000, 443, CLIENT_HELLO.subarray(0, 60)), 1);
    expect(p.needsReassembly).toBe(true);
    expect(p.tls?.handshakeTypes).toEqual([1]);
  });

  it('alerts: level and description; an encrypted alert (longer than 2 bytes) is not read as one', () => {
    const alert = decodeFrame(tcpFrame(443, 50000, hex`15 0303 0002 02 30 # fatal, unknown_ca (48)`), 1);
    expect(alert.tls?.alert).toEqual({ level: 2, description: 48 });
    const encrypted = decodeFrame(tcpFrame(443, 50000, hex`15 0303 001a ${'ab'.repeat(26)}`), 1);
    expect(encrypted.tls?.alert).toBeNull();
  });

  it('several records in one segment: ServerHello, CCS, and an encrypted handshake that is skipped', () => {
    const seg = hex`
      16 0303 002a 02 000026 0303 ${'11'.repeat(32)} 00 c02f 00   # ServerHello selecting c02f
      14 0303 0001 01                                           # ChangeCipherSpec
      16 0303 0028 ${'9f'.repeat(40)}                            # encrypted Finished`;
    const p = decodeFrame(tcpFrame(443, 50000, seg), 1);
    expect(p.tls).toMatchObject({ contentTypes: [22, 20, 22], handshakeTypes: [2], version: 0x0303, cipherSuites: [0xc02f] });
  });
});

describe('HTTP', () => {
  it('request line and Host; status line', () => {
    const req = decodeFrame(tcpFrame(50000, 8080, Buffer.from('GET /index.html HTTP/1.1\r\nHost: intranet.example\r\nAccept: */*\r\n\r\n')), 1);
    expect(req.http).toEqual({ method: 'GET', uri: '/index.html', host: 'intranet.example', status: -1, version: 'HTTP/1.1' });
    const res = decodeFrame(tcpFrame(8080, 50000, Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')), 1);
    expect(res.http).toMatchObject({ status: 404, method: '' });
  });

  it('text that only starts like HTTP is left alone', () => {
    const p = decodeFrame(tcpFrame(50000, 8080, Buffer.from('GET nothing useful')), 1);
    expect([p.protocol, p.http]).toEqual(['tcp', null]);
  });
});

describe('tunnels', () => {
  it('VXLAN: the inner Ethernet frame is what the packet describes', () => {
    const inner = concat(ethernet(0x0800), ipv4(17, 12, { src: '172.16.0.1', dst: '172.16.0.2' }), udp(1111, 53, 4), hex`00000000`);
    const f = concat(ethernet(0x0800), ipv4(17, 8 + 8 + inner.length), udp(50000, 4789, 8 + inner.length), hex`08000000 00002a00 # I flag, VNI 42`, inner);
    const p = decodeFrame(f, 1);
    expect(p.tunnels).toEqual(['vxlan']);
    expect([p.srcPort, p.dstPort]).toEqual([1111, 53]);
    expect(f[p.srcAddr]).toBe(172);
  });

  it('GRE with a key, carrying IPv4', () => {
    const inner = concat(ipv4(17, 12, { src: '172.16.0.1' }), udp(2222, 3333, 4), hex`00000000`);
    const f = concat(ethernet(0x0800), ipv4(47, 8 + inner.length), hex`2000 0800 0000002a # K bit; IPv4; key 42`, inner);
    const p = decodeFrame(f, 1);
    expect(p.tunnels).toEqual(['gre']);
    expect(p.srcPort).toBe(2222);
  });
});
