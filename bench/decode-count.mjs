#!/usr/bin/env node
// In-process full decode: reads a capture and decodes every layer of every frame with the same
// reader and decoder `netcase decode` uses, without building any output. Prints one JSON object
// with the frame count, a TCP count and payload bytes (so the work cannot be skipped), and the
// time spent reading and decoding, without Node's start-up.
// Usage: node bench/decode-count.mjs FILE
import { readCaptures } from '../dist/src/capture/read-capture.js';
import { FrameDecoder } from '../dist/src/decode/decode-frame.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/decode-count.mjs FILE\n');
  process.exit(2);
}
let packets = 0;
let tcp = 0;
let payloadBytes = 0;
const started = performance.now();
for await (const capture of readCaptures(file)) {
  const decoder = new FrameDecoder();
  for await (const batch of capture.frames()) {
    for (let i = 0; i < batch.count; i++) {
      const p = decoder.decode(batch, i);
      if (p.transport === 6) tcp++;
      payloadBytes += p.payloadLength;
    }
    packets += batch.count;
  }
}
const decodeMs = Math.round(performance.now() - started);
process.stdout.write(`${JSON.stringify({ packets, tcp, payloadBytes, decodeMs, framesPerSecondInProcess: Math.round(packets / (decodeMs / 1000)) })}\n`);
