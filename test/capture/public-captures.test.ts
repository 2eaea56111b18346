import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptures } from '../../src/capture/read-capture.js';
import { summarizeCapture } from '../../src/capture/summarize-capture.js';
import { CaptureError } from '../../src/capture/types.js';
import { PUBLIC_CAPTURES } from './helpers.js';

/**
 * tcpdump's own test captures (830 files, many deliberately malformed). capinfos 4.0.17's count
 * for each is committed in test/golden/public-captures-capinfos.json (see test/golden/README.md);
 * these tests do not need capinfos.
 */
const golden: Record<string, { packets?: number; error?: string; packetsBeforeError?: number | null }> = JSON.parse(
  readFileSync(new URL('../golden/public-captures-capinfos.json', import.meta.url), 'utf8'),
);
const files = readdirSync(PUBLIC_CAPTURES).filter((f) => !/^(LICENSE|README)/.test(f));

describe('tcpdump test captures', () => {
  it('the golden list covers every file', () => {
    expect(files.length).toBeGreaterThanOrEqual(830);
    expect(files.filter((f) => golden[f] === undefined)).toEqual([]);
  });

  it('every file is read without an exception escaping, with capinfos packet counts wherever capinfos reads it', async () => {
    const mismatches: string[] = [];
    let compared = 0;
    for (const name of files) {
      let packets = 0;
      let captures = 0;
      try {
        for await (const capture of readCaptures(join(PUBLIC_CAPTURES, name))) {
          captures++;
          packets += (await summarizeCapture(capture)).packets;
        }
      } catch (error) {
        if (!(error instanceof CaptureError)) throw new Error(`${name}: ${String(error)}`);
        mismatches.push(`${name}: refused (${error.code}) but capinfos read it`);
        continue;
      }
      const g = golden[name];
      const want = g.error === undefined ? g.packets : g.packetsBeforeError;
      if (want === undefined || want === null) continue; // capinfos cannot read it at all (unsupported link type)
      compared++;
      if (packets !== want) mismatches.push(`${name}: ${packets} packets, capinfos ${want}`);
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(810);
  });
});
