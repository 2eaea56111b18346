#!/usr/bin/env node
// Writes a deterministic synthetic Ethernet capture of mixed traffic (see bench/README.md).
//
//   node bench/generate-capture.mjs --out FILE [--frames 1100000] [--seed netcase]
//                                   [--format pcap|pcapng] [--snaplen 262144]
//
// Same seed and frame count -> byte-identical file. pcap output is little-endian, microsecond
// timestamps, link type 1. With `--format pcapng --snaplen 128` it writes the same frames as
// bench/to-snaplen-pcapng.mjs would produce from the pcap.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createCaptureWriter } from './lib/capture-writers.mjs';
import { createTrafficModel } from './lib/traffic.mjs';

export const DEFAULT_FRAMES = 1_100_000;
export const DEFAULT_SEED = 'netcase';
const MAX_FRAME_BYTES = 2048;

export function generateCapture({ out, frames = DEFAULT_FRAMES, seed = DEFAULT_SEED, format = 'pcap', snaplen }) {
  const model = createTrafficModel(seed);
  const writer = createCaptureWriter(out, { format, snaplen });
  const scratch = Buffer.alloc(MAX_FRAME_BYTES);
  for (let i = 0; i < frames; i++) {
    const { tsMicros, length } = model.nextFrame(scratch);
    writer.writeFrame(tsMicros, scratch, 0, length);
  }
  return writer.close();
}

function parseCommandLine(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      frames: { type: 'string', default: String(DEFAULT_FRAMES) },
      seed: { type: 'string', default: DEFAULT_SEED },
      format: { type: 'string', default: 'pcap' },
      snaplen: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const frames = Number(values.frames);
  const snaplen = values.snaplen === undefined ? undefined : Number(values.snaplen);
  const problems = [];
  if (!values.out) problems.push('--out FILE is required');
  if (!Number.isInteger(frames) || frames < 0) problems.push('--frames must be a non-negative integer');
  if (snaplen !== undefined && !(Number.isInteger(snaplen) && snaplen > 0)) problems.push('--snaplen must be a positive integer');
  if (!['pcap', 'pcapng'].includes(values.format)) problems.push('--format must be pcap or pcapng');
  return { help: values.help, problems, options: { out: values.out, frames, seed: values.seed, format: values.format, snaplen } };
}

function main() {
  const { help, problems, options } = parseCommandLine(process.argv.slice(2));
  if (help || problems.length > 0) {
    for (const problem of problems) process.stderr.write(`generate-capture: ${problem}\n`);
    process.stderr.write('usage: node bench/generate-capture.mjs --out FILE [--frames N] [--seed S] [--format pcap|pcapng] [--snaplen N]\n');
    process.exit(help ? 0 : 2);
  }
  const started = process.hrtime.bigint();
  const { frames, bytes } = generateCapture(options);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`wrote ${options.out}: ${frames} frames, ${bytes} bytes in ${seconds.toFixed(2)} s\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main();
