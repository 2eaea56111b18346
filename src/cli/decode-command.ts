import { parseArgs } from 'node:util';
import { readCaptures } from '../capture/read-capture.js';
import { RelativeClock } from '../capture/timestamps.js';
import { FrameDecoder, isDecodableLinkType } from '../decode/decode-frame.js';
import { DecodeStats } from '../decode/decode-stats.js';
import type { Config } from '../config.js';
import { DEFAULT_LIMITS, FlowEngine } from '../flows/build-flows.js';
import type { FrameAnalysis } from '../flows/tcp-analysis.js';
import { addTcpAnalysis, packetToJson } from '../report/packet-json.js';
import { renderDecodeStats, renderPacketLine } from '../report/render-packet-line.js';
import type { Outcome } from './exit-code.js';
import { USAGE } from './usage.js';
import { damageLine } from './damaged-input.js';
import { captureSource, UsageError, type CliIo } from './io.js';

const DECODE_USAGE = USAGE.decode;
const FLUSH_CHARS = 1 << 16;

/**
 * `netcase decode`: one line per frame (tshark-like text, or NDJSON with --json), streamed, then in
 * text mode a summary of what the capture holds by protocol. Frame numbers are 1-based per capture.
 */
export async function decodeCommand(args: string[], io: CliIo, config: Config): Promise<Outcome> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' }, limit: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError(`expected one capture file: ${DECODE_USAGE}`);
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (limit !== Infinity && (!Number.isInteger(limit) || limit < 0)) throw new UsageError(`--limit takes a whole number of frames, not "${values.limit}"`);
  const json = values.json === true;
  let out = '';
  const flush = async () => {
    if (out.length > 0) {
      const text = out;
      out = '';
      await io.stdout(text);
    }
  };
  // One stderr line, about the first damaged capture, written at the end: a later capture of an
  // archive that cannot be read at all is the one line instead.
  let damaged: string | null = null;
  for await (const capture of readCaptures(captureSource(positionals[0], io), { name: positionals[0] === '-' ? 'stdin' : undefined, maxDecompressedBytes: config.maxDecompressedBytes })) {
    const decoder = new FrameDecoder();
    const stats = new DecodeStats();
    // The flow engine runs alongside so each frame carries Wireshark's TCP analysis labels.
    const flows = new FlowEngine({ ...DEFAULT_LIMITS, exchanges: false });
    const analysis: FrameAnalysis = { flags: 0, dupAckNum: 0, dupAckFrame: 0, ackRttNs: -1, ackedFrame: 0, bytesInFlight: -1 };
    const clock = new RelativeClock();
    let count = 0;
    frames: for await (const batch of capture.frames()) {
      for (let i = 0; i < batch.count; i++) {
        if (count >= limit) break frames;
        count++;
        const p = decoder.decode(batch, i);
        stats.add(p, isDecodableLinkType(p.linkType));
        const sec = batch.tsSec[i];
        const relNs = clock.at(sec, batch.tsNsec[i]);
        const number = batch.firstNumber + i;
        flows.add(p, batch.data, number, relNs, analysis);
        if (json) {
          const j = packetToJson(p, batch.data, number, sec, batch.tsNsec[i], relNs, batch.originalLength[i], batch.capturedLength[i]);
          addTcpAnalysis(j, analysis);
          out += JSON.stringify(j) + '\n';
        } else {
          out += renderPacketLine(p, batch.data, number, relNs / 1e9, batch.originalLength[i], analysis.flags) + '\n';
        }
        if (out.length >= FLUSH_CHARS) await flush();
      }
    }
    if (!json) {
      for (const w of capture.meta.warnings) out += `# warning [${w.code}] ${w.message}\n`;
      out += renderDecodeStats(stats);
    }
    await flush();
    damaged ??= damageLine([capture.meta]);
  }
  if (damaged === null) return 'completed';
  io.stderr(damaged);
  return 'bad-input';
}
