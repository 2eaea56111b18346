import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { frameAt } from '../../src/capture/frame-at.js';
import { readCaptures, type ReadOptions } from '../../src/capture/read-capture.js';
import { CaptureError, type CaptureMeta, type Frame } from '../../src/capture/types.js';

export const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'captures');
/** tcpdump's test captures, committed with their licence (see the README there). */
export const PUBLIC_CAPTURES = resolve(import.meta.dirname, '..', 'fixtures', 'public', 'tcpdump-tests');

export function fixture(name: string): string {
  return resolve(FIXTURES, name);
}

export interface ReadResult {
  meta: CaptureMeta;
  frames: Frame[];
}

/** Reads every capture of a source into frame objects (copying bytes, so tests may keep them). */
export async function readAll(source: string | Readable, options: ReadOptions = {}): Promise<ReadResult[]> {
  const results: ReadResult[] = [];
  for await (const capture of readCaptures(source, options)) {
    const frames: Frame[] = [];
    for await (const batch of capture.frames()) {
      for (let i = 0; i < batch.count; i++) {
        const f = frameAt(batch, i);
        frames.push({ ...f, bytes: Uint8Array.from(f.bytes) });
      }
    }
    results.push({ meta: capture.meta, frames });
  }
  return results;
}

/** Reads a source expected to hold exactly one capture. */
export async function readOne(source: string | Readable, options: ReadOptions = {}): Promise<ReadResult> {
  const all = await readAll(source, options);
  if (all.length !== 1) throw new Error(`expected one capture, got ${all.length}`);
  return all[0];
}

/** Seconds.fraction exactly as capinfos -a -e -S prints it, for comparing times. */
export function epochText(f: Frame, digits: number): string {
  const frac = String(f.tsNsec).padStart(9, '0').slice(0, digits);
  return `${f.tsSec}.${frac}`;
}

/** The CaptureError reading a source ends with (anything else fails the test). */
export async function refusal(source: string | Readable, options: ReadOptions = {}): Promise<CaptureError> {
  try {
    for await (const c of readCaptures(source, options)) for await (const _ of c.frames());
  } catch (error) {
    if (error instanceof CaptureError) return error;
    throw error;
  }
  throw new Error('expected a CaptureError');
}
