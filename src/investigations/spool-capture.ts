import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newRowId } from '../store/ids.js';
import { InvestigationError } from './context.js';

export interface SpooledCapture {
  path: string;
  size: number;
  sha256: string;
}

/**
 * Copies a capture into the spool folder (NETCASE_SPOOL) while hashing it, so it can wait for
 * analysis and survive a restart; at most `maxBytes`. The file is removed when its analysis is
 * recorded, or by the retention purge.
 */
export async function spoolCapture(source: string | Readable, spoolDir: string, options: { name?: string; maxBytes?: number; now?: Date } = {}): Promise<SpooledCapture> {
  await mkdir(spoolDir, { recursive: true });
  const name = (options.name ?? (typeof source === 'string' ? basename(source) : 'stdin')).replace(/[^A-Za-z0-9._-]+/g, '_').slice(-80);
  const path = join(spoolDir, `${newRowId(options.now ?? new Date())}-${name}`);
  const hash = createHash('sha256');
  let size = 0;
  const max = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > max) return done(new InvestigationError(`${options.name ?? source}: larger than the ${Math.round(max / 1048576)} MB limit`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    const input = typeof source === 'string' ? createReadStream(source) : source;
    await pipeline(input, meter, createWriteStream(path, { flags: 'wx' }));
  } catch (error) {
    await rm(path, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof source === 'string' && (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES')) {
      throw new InvestigationError(`${source}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a capture file' : 'permission denied'}`);
    }
    throw error;
  }
  return { path, size, sha256: hash.digest('hex') };
}
