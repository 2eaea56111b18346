import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptures } from '../../src/capture/read-capture.js';
import { FrameDecoder } from '../../src/decode/decode-frame.js';
import { packetToJson } from '../../src/report/packet-json.js';
import { fixture, PUBLIC_CAPTURES } from '../capture/helpers.js';

/**
 * decodeFrame never lets an exception escape, but it would turn one into a `decoder` anomaly;
 * these tests require that never to happen, so a decoder bug cannot hide behind the safety net.
 */
async function decodeFile(path: string): Promise<{ frames: number; failures: string[] }> {
  let frames = 0;
  const failures: string[] = [];
  for await (const capture of readCaptures(path)) {
    const decoder = new FrameDecoder();
    for await (const batch of capture.frames()) {
      for (let i = 0; i < batch.count; i++) {
        const p = decoder.decode(batch, i);
        frames++;
        const failure = p.anomalies.find((a) => a.layer === 'decoder');
        if (failure) failures.push(`frame ${batch.firstNumber + i}: ${failure.message}`);
        JSON.stringify(packetToJson(p, batch.data, batch.firstNumber + i, batch.tsSec[i], batch.tsNsec[i], 0, batch.originalLength[i], batch.capturedLength[i]));
      }
    }
  }
  return { frames, failures };
}

describe('decoding hostile and odd captures', () => {
  it('every tcpdump test capture decodes with no decoder failure', async () => {
    const failures: string[] = [];
    let frames = 0;
    for (const name of readdirSync(PUBLIC_CAPTURES).filter((f) => !/^(LICENSE|README)/.test(f))) {
      const r = await decodeFile(join(PUBLIC_CAPTURES, name));
      frames += r.frames;
      failures.push(...r.failures.map((f) => `${name} ${f}`));
    }
    expect(failures).toEqual([]);
    expect(frames).toBeGreaterThan(10_000);
  });

  it('random byte flips and cuts of real frames never fail the decoder', async () => {
    // A fixed-seed xorshift, so a failure is reproducible.
    let state = 0x9e3779b9;
    const rand = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 4294967296;
    };
    const decoder = new FrameDecoder();
    const failures: string[] = [];
    for (const name of ['eth-usec.pcap', 'any-sll2.pcap', 'multi-iface.pcapng']) {
      for await (const capture of readCaptures(fixture(name))) {
        for await (const batch of capture.frames()) {
          for (let i = 0; i < batch.count; i++) {
            const original = batch.data.slice(batch.offset[i], batch.offset[i] + batch.capturedLength[i]);
            for (let round = 0; round < 200; round++) {
              const bytes = Uint8Array.from(original);
              const flips = 1 + Math.floor(rand() * 4);
              for (let f = 0; f < flips; f++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
              const cut = rand() < 0.3 ? Math.floor(rand() * bytes.length) : bytes.length;
              const p = decoder.decodeBytes(bytes, 0, cut, bytes.length + (rand() < 0.2 ? 100 : 0), batch.linkType[i]);
              const failure = p.anomalies.find((a) => a.layer === 'decoder');
              if (failure) failures.push(`${name} frame ${batch.firstNumber + i} round ${round}: ${failure.message}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('snaplen-cut frames report truncated, not malformed', async () => {
    const kinds = new Set<string>();
    for await (const capture of readCaptures(fixture('eth-snap96.pcap'))) {
      const decoder = new FrameDecoder();
      for await (const batch of capture.frames()) {
        for (let i = 0; i < batch.count; i++) for (const a of decoder.decode(batch, i).anomalies) kinds.add(a.kind);
      }
    }
    expect([...kinds]).not.toContain('malformed');
  });
});
