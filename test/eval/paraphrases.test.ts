import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadAllLabels } from '../../src/eval/run-eval.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const LIBRARY = resolve(ROOT, 'case-library');
const FILE = resolve(ROOT, 'test/eval/paraphrases.yml');

interface Pair {
  en: string;
  zh: string;
}

/** Every run of n consecutive English words, lowercased, punctuation stripped ("can't" is one word). */
function wordRuns(text: string, n: number): Set<string> {
  const words = text.toLowerCase().replace(/['’]/g, '').split(/[^a-z0-9]+/).filter(Boolean);
  const runs = new Set<string>();
  for (let i = 0; i + n <= words.length; i++) runs.add(words.slice(i, i + n).join(' '));
  return runs;
}

/** Every run of n consecutive Han characters (a run stops at anything that is not Han). */
function hanRuns(text: string, n: number): Set<string> {
  const runs = new Set<string>();
  for (const [stretch] of text.matchAll(/\p{Script=Han}+/gu)) {
    const chars = [...stretch];
    for (let i = 0; i + n <= chars.length; i++) runs.add(chars.slice(i, i + n).join(''));
  }
  return runs;
}

describe('symptom paraphrases (test/eval/paraphrases.yml)', () => {
  let data: { pages: Record<string, Pair[]>; healthy: Pair[] };
  let labelledPages: string[];
  beforeAll(async () => {
    data = parse(readFileSync(FILE, 'utf8'));
    labelledPages = [...new Set((await loadAllLabels(ROOT)).flatMap((l) => (l.page === null ? [] : [l.page])))].sort();
  });

  it('parses to pages and healthy lists of en/zh pairs of a ticket-like length', () => {
    expect(Object.keys(data).sort()).toEqual(['healthy', 'pages']);
    expect(data.healthy.length).toBeGreaterThanOrEqual(6);
    for (const pair of [...Object.values(data.pages).flat(), ...data.healthy]) {
      expect(Object.keys(pair).sort()).toEqual(['en', 'zh']);
      const words = pair.en.split(/\s+/).filter(Boolean).length;
      expect(words, pair.en).toBeGreaterThanOrEqual(6);
      expect(words, pair.en).toBeLessThanOrEqual(25);
      expect([...pair.zh].length, pair.zh).toBeGreaterThanOrEqual(10);
      expect([...pair.zh].length, pair.zh).toBeLessThanOrEqual(40);
      expect(pair.zh, pair.zh).toMatch(/\p{Script=Han}/u);
    }
  });

  it('every labelled page has at least three pairs, and every page id is a case-library page', () => {
    expect(labelledPages.length).toBeGreaterThan(0);
    const thin = labelledPages.filter((page) => (data.pages[page] ?? []).length < 3);
    expect(thin, 'labelled pages with fewer than 3 paraphrase pairs').toEqual([]);
    const unknown = Object.keys(data.pages).filter((page) => !existsSync(resolve(LIBRARY, `${page}.md`)));
    expect(unknown, 'page ids with no case-library page').toEqual([]);
  });

  it("no paraphrase shares 4 consecutive words (en) or 4 consecutive Han characters (zh) with its page's text", () => {
    const copied: string[] = [];
    for (const [page, pairs] of Object.entries(data.pages)) {
      const text = readFileSync(resolve(LIBRARY, `${page}.md`), 'utf8');
      const pageWords = wordRuns(text, 4);
      const pageHan = hanRuns(text, 4);
      for (const { en, zh } of pairs) {
        for (const run of wordRuns(en, 4)) if (pageWords.has(run)) copied.push(`${page} en "${run}": ${en}`);
        for (const run of hanRuns(zh, 4)) if (pageHan.has(run)) copied.push(`${page} zh "${run}": ${zh}`);
      }
    }
    expect(copied).toEqual([]);
  });
});
