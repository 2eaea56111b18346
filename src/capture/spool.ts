import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

/** A temporary file holding a stream's bytes, for formats that need random access. */
export interface Spooled {
  path: string;
  remove(): Promise<void>;
}

export async function spoolToFile(chunks: AsyncIterable<Uint8Array>, dir = tmpdir()): Promise<Spooled> {
  const folder = await mkdtemp(join(dir, 'netcase-spool-'));
  const path = join(folder, 'capture');
  const remove = () => rm(folder, { recursive: true, force: true });
  try {
    await pipeline(Readable.from(chunks), createWriteStream(path));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove };
}
