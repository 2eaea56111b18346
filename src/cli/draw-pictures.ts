import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Analysis } from '../analysis/analysis-types.js';
import type { Config } from '../config.js';
import { drawPictures } from '../pictures/draw.js';
import { UsageError, type CliIo } from './io.js';

/** --draw DIR: the pictures of each capture's top finding, as SVG and PNG (ladder-<code>, tseq-<code>). */
export async function drawInto(dir: string, file: string, analyses: Analysis[], config: Config, io: CliIo): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`--draw ${dir}: ${(error as NodeJS.ErrnoException).code === 'ENOTDIR' || (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'not a folder' : (error as Error).message}`);
  }
  let written = 0;
  for (const [i, analysis] of analyses.entries()) {
    const suffix = analyses.length > 1 ? `-${i + 1}` : '';
    for (const p of await drawPictures(file, analysis, { maxDecompressedBytes: config.maxDecompressedBytes })) {
      await writeFile(join(dir, `${p.name}${suffix}.svg`), p.svg);
      await writeFile(join(dir, `${p.name}${suffix}.png`), p.png);
      io.stderr(`netcase: wrote ${join(dir, `${p.name}${suffix}`)}.png and .svg: ${p.alt}\n`);
      written++;
    }
  }
  if (written === 0) io.stderr('netcase: no picture: no finding with a connection or frames to draw\n');
}

