/**
 * A small pcap built by hand whose DNS names try to ping a channel and a user: a client asks for
 * "<!channel>.corp.example" and "<@U0ADMIN>.corp.example" (twice each) and the server answers
 * NXDOMAIN. Slack must show these names as text, never as mentions.
 */
function ipv4Checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < h.length; i += 2) sum += h.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function dnsName(name: string): Buffer {
  return Buffer.concat([...name.split('.').map((l) => Buffer.concat([Buffer.from([Buffer.byteLength(l)]), Buffer.from(l)])), Buffer.from([0])]);
}

function frame(src: string, dst: string, sport: number, dport: number, payload: Buffer): Buffer {
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(sport, 0);
  udp.writeUInt16BE(dport, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip[8] = 64;
  ip[9] = 17;
  Buffer.from(src.split('.').map(Number)).copy(ip, 12);
  Buffer.from(dst.split('.').map(Number)).copy(ip, 16);
  ip.writeUInt16BE(ipv4Checksum(ip), 10);
  const eth = Buffer.from('0200000000020200000000010800', 'hex');
  return Buffer.concat([eth, ip, udp, payload]);
}

function dns(id: number, name: string, response: boolean): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(response ? 0x8183 : 0x0100, 2);
  h.writeUInt16BE(1, 4);
  return Buffer.concat([h, dnsName(name), Buffer.from([0, 1, 0, 1])]);
}

export function hostileDnsCapture(): Buffer {
  const frames: Buffer[] = [];
  let id = 0x1000;
  for (const name of ['<!channel>.corp.example', '<@U0ADMIN>.corp.example', '<!channel>.corp.example', '<@U0ADMIN>.corp.example']) {
    id++;
    frames.push(frame('10.9.0.2', '10.9.0.53', 40000 + id, 53, dns(id, name, false)));
    frames.push(frame('10.9.0.53', '10.9.0.2', 53, 40000 + id, dns(id, name, true)));
  }
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20);
  const records = frames.map((f, i) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1_764_000_000 + i, 0);
    r.writeUInt32LE(1000 * i, 4);
    r.writeUInt32LE(f.length, 8);
    r.writeUInt32LE(f.length, 12);
    return Buffer.concat([r, f]);
  });
  return Buffer.concat([global, ...records]);
}
