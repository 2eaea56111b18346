/**
 * Annotated hex for tests: whitespace is ignored and `#` starts a comment to the end of the line,
 * so a frame can be written field by field:
 *   hex`45 00 0054   # version 4, IHL 5; TOS 0; total length 84`
 */
export function hex(strings: TemplateStringsArray, ...values: unknown[]): Uint8Array {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const digits = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length % 2 !== 0) throw new Error(`bad hex: ${digits}`);
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** 14-byte Ethernet II header with the given ethertype (MACs 02:00:00:00:00:01 -> :02). */
export function ethernet(etherType: number): Uint8Array {
  return concat(hex`020000000002 020000000001`, Uint8Array.of(etherType >> 8, etherType & 0xff));
}

/** A 20-byte IPv4 header (no options) for a payload of `payloadLength` bytes. */
export function ipv4(proto: number, payloadLength: number, opts: { src?: string; dst?: string; ttl?: number; flags?: number; tos?: number; id?: number } = {}): Uint8Array {
  const b = Buffer.alloc(20);
  b[0] = 0x45;
  b[1] = opts.tos ?? 0;
  b.writeUInt16BE(20 + payloadLength, 2);
  b.writeUInt16BE(opts.id ?? 0x1234, 4);
  b.writeUInt16BE(opts.flags ?? 0x4000, 6);
  b[8] = opts.ttl ?? 64;
  b[9] = proto;
  Buffer.from((opts.src ?? '192.0.2.1').split('.').map(Number)).copy(b, 12);
  Buffer.from((opts.dst ?? '192.0.2.2').split('.').map(Number)).copy(b, 16);
  return Uint8Array.from(b);
}

/** An 8-byte UDP header. */
export function udp(srcPort: number, dstPort: number, payloadLength: number): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeUInt16BE(srcPort, 0);
  b.writeUInt16BE(dstPort, 2);
  b.writeUInt16BE(8 + payloadLength, 4);
  return Uint8Array.from(b);
}

/** A 20-byte TCP header (no options). */
export function tcp(srcPort: number, dstPort: number, flags: number, seq = 1000, ack = 0): Uint8Array {
  const b = Buffer.alloc(20);
  b.writeUInt16BE(srcPort, 0);
  b.writeUInt16BE(dstPort, 2);
  b.writeUInt32BE(seq, 4);
  b.writeUInt32BE(ack, 8);
  b.writeUInt16BE((5 << 12) | flags, 12);
  b.writeUInt16BE(65535, 14);
  return Uint8Array.from(b);
}

/** Ethernet + IPv4 + UDP around a payload. */
export function udpFrame(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  return concat(ethernet(0x0800), ipv4(17, 8 + payload.length), udp(srcPort, dstPort, payload.length), payload);
}

/** Ethernet + IPv4 + TCP (PSH, ACK) around a payload. */
export function tcpFrame(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  return concat(ethernet(0x0800), ipv4(6, 20 + payload.length), tcp(srcPort, dstPort, 0x018), payload);
}
