import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import type { Finding } from '../../src/findings/finding.js';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');

function captures(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? captures(join(dir, e.name)) : /\.(pcap|pcapng|cap|gz|zip)$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Every finding of every fixture capture (scenarios, matrix, public and decoder captures), with the capture it came from. */
export async function fixtureFindings(): Promise<{ capture: string; finding: Finding }[]> {
  const out: { capture: string; finding: Finding }[] = [];
  for (const file of captures(FIXTURES).sort()) {
    for (const a of await analyzeFile(file)) for (const finding of a.findings) out.push({ capture: relative(FIXTURES, file), finding });
  }
  return out;
}

/**
 * Runs of four or more English words in a row, outside `code` spans and the facts' own values
 * (names, endpoints, certificate subjects): prose a Chinese reader should not be left with.
 */
export function englishRuns(text: string, factValues: readonly string[] = []): string[] {
  let t = text.replace(/`[^`]*`/g, ' ');
  for (const v of [...factValues].sort((a, b) => b.length - a.length)) if (v.length > 0) t = t.split(v).join(' ');
  return [...t.matchAll(/[A-Za-z][A-Za-z'-]*(?: +[A-Za-z][A-Za-z'-]*){3,}/g)].map((m) => m[0]);
}

/** Every string a facts object holds, however deep. */
export function factStrings(facts: unknown): string[] {
  if (typeof facts === 'string') return [facts];
  if (Array.isArray(facts)) return facts.flatMap(factStrings);
  if (facts !== null && typeof facts === 'object') return Object.values(facts).flatMap(factStrings);
  return [];
}
