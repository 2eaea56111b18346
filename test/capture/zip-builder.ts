import { deflateRawSync } from 'node:zlib';

/**
 * Zip archives written by hand (APPNOTE 4.3: local header + data per entry, then the central
 * directory and its end record), so tests can make the hostile ones no zip tool writes.
 */
export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Deflate the data (method 8); default stored (method 0). */
  deflate?: boolean;
  /** Use these bytes as the compressed data as they are (damaged deflate data), with method 8. */
  rawDeflate?: Buffer;
  /** Point this entry's central record at an earlier entry's local header instead of writing its own. */
  sameDataAs?: number;
  /** General-purpose flags (bit 0: encrypted). */
  flags?: number;
  /** The uncompressed size the archive claims (default: the data's length). */
  claimedSize?: number;
}

export function buildZip(entries: ZipEntry[]): Buffer {
  const body: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const e of entries) {
    const nameBytes = Buffer.from(e.name);
    const compressed = e.rawDeflate ?? (e.deflate ? deflateRawSync(e.data) : e.data);
    const method = e.rawDeflate !== undefined || e.deflate ? 8 : 0;
    const crc = crc32(e.data);
    const size = e.claimedSize ?? e.data.length;
    let at = offset;
    if (e.sameDataAs === undefined) {
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(e.flags ?? 0, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(compressed.length, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(nameBytes.length, 26);
      body.push(local, nameBytes, compressed);
      offset += 30 + nameBytes.length + compressed.length;
    } else {
      at = offsets[e.sameDataAs];
    }
    offsets.push(at);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.flags ?? 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(at, 42);
    centrals.push(central, nameBytes);
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...body, cd, ...(entries.length >= 0xffff ? zip64End(entries.length, cd.length, offset) : []), end]);
}

/** More than 65,534 entries need the zip64 end record and its locator (APPNOTE 4.3.14, 4.3.15). */
function zip64End(count: number, cdLength: number, cdOffset: number): Buffer[] {
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(cdLength), 40);
  record.writeBigUInt64LE(BigInt(cdOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(cdOffset + cdLength), 8);
  locator.writeUInt32LE(1, 16);
  return [record, locator];
}

/** A zip archive with stored (uncompressed) members. */
export function buildStoredZip(members: [string, Buffer][]): Buffer {
  return buildZip(members.map(([name, data]) => ({ name, data })));
}

/** CRC-32 (IEEE), table-free: test data is small. */
export function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
