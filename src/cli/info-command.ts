import { parseArgs } from 'node:util';
import { readCaptures } from '../capture/read-capture.js';
import { summarizeCapture, type CaptureInfo } from '../capture/summarize-capture.js';
import type { Config } from '../config.js';
import { renderCaptureInfoText } from '../report/render-capture-info.js';
import { damageLine } from './damaged-input.js';
import { captureSource, UsageError, type CliIo } from './io.js';
import type { Outcome } from './exit-code.js';
import { USAGE } from './usage.js';

const INFO_USAGE = USAGE.info;

/**
 * `netcase info FILE [--json]`: what the file is and what it holds. A zip with several captures
 * gives one report each (with --json, one object per line). Output is written only once the whole
 * file was read, so a failure leaves nothing half-written on stdout.
 */
export async function infoCommand(args: string[], io: CliIo, config: Config): Promise<Outcome> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError(`expected one capture file: ${INFO_USAGE}`);
  const infos: CaptureInfo[] = [];
  for await (const capture of readCaptures(captureSource(positionals[0], io), { name: positionals[0] === '-' ? 'stdin' : undefined, maxDecompressedBytes: config.maxDecompressedBytes })) {
    infos.push(await summarizeCapture(capture));
  }
  await io.stdout(values.json ? infos.map((i) => JSON.stringify(i)).join('\n') + '\n' : infos.map(renderCaptureInfoText).join('\n'));
  const damaged = damageLine(infos.map((i) => ({ name: i.file, warnings: i.warnings })));
  if (damaged === null) return 'completed';
  io.stderr(damaged);
  return 'bad-input';
}
