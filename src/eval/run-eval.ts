import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { analyzeCapture } from '../analysis/analyze-capture.js';
import { readCaptures } from '../capture/read-capture.js';
import { loadCaseLibrary } from '../cases/load-case-library.js';
import { CaseIndex } from '../cases/search-cases.js';
import { parse } from 'yaml';
import { matchCases, type FindingFacts } from '../cases/match-cases.js';
import type { Finding } from '../findings/finding.js';
import { parseLabels, type Label } from './labels.js';
import { score, type Outcome, type Score } from './score.js';

/** Where the labelled captures live, relative to the repository root. */
export const LABEL_FILES = { matrix: 'test/fixtures/matrix', public: 'test/fixtures/public/labels.yml' } as const;
export const BASELINE_FILE = 'test/eval/baseline.json';
/** Symptom paraphrases per case page (and vague ones for healthy captures), in English and Chinese. */
export const PARAPHRASE_FILE = 'test/eval/paraphrases.yml';

export interface Paraphrases {
  pages: Record<string, { en: string; zh: string }[]>;
  healthy: { en: string; zh: string }[];
}

export async function loadParaphrases(root: string): Promise<Paraphrases | null> {
  const text = await readFile(join(root, PARAPHRASE_FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  const data = parse(text) as Partial<Paraphrases> | null;
  return { pages: data?.pages ?? {}, healthy: data?.healthy ?? [] };
}

/** One paraphrase pair per file, chosen by its path so every run picks the same. */
function pairFor(path: string, pairs: { en: string; zh: string }[]): { en: string; zh: string } | null {
  if (pairs.length === 0) return null;
  let h = 0;
  for (const ch of path) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return pairs[h % pairs.length];
}

/** Every labels.yml: test/fixtures/matrix/SUBSET/labels.yml and the public captures' one. */
export async function loadAllLabels(root: string): Promise<Label[]> {
  const labels: Label[] = [];
  const matrix = join(root, LABEL_FILES.matrix);
  const subsets = await readdir(matrix, { withFileTypes: true }).catch(() => []);
  for (const d of subsets.filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    const dir = join(matrix, d);
    const text = await readFile(join(dir, 'labels.yml'), 'utf8').catch(() => null);
    if (text !== null) labels.push(...parseLabels(text, relative(root, join(dir, 'labels.yml')), relative(root, dir), 'matrix'));
  }
  const pub = join(root, LABEL_FILES.public);
  const text = await readFile(pub, 'utf8').catch(() => null);
  if (text !== null) labels.push(...parseLabels(text, LABEL_FILES.public, relative(root, join(pub, '..')), 'public'));
  return labels;
}

/** Analyses every labelled capture in this process, one after another, with the package's case library. */
export async function runEval(root: string, caseLibraryDir: string, labels?: Label[]): Promise<{ score: Score; outcomes: Outcome[] }> {
  const all = labels ?? (await loadAllLabels(root));
  const index = new CaseIndex((await loadCaseLibrary({ readdir, readFile }, caseLibraryDir)).cases);
  const paraphrases = await loadParaphrases(root);
  const outcomes: Outcome[] = [];
  for (const label of all) {
    const outcome: Outcome = { label, findings: [], answer: null, symptomAnswers: [], error: null };
    try {
      const matched: { finding: Finding; facts: FindingFacts }[] = [];
      for await (const capture of readCaptures(join(root, label.path))) {
        const a = await analyzeCapture(capture, { cases: index });
        outcome.findings.push(...a.findings.map((f) => ({ code: f.code, severity: f.severity })));
        outcome.answer ??= a.answer;
        matched.push(...a.findings.map((finding, i) => ({ finding, facts: a.findingFacts[i] })));
      }
      // The same findings with a symptom a user might type (the page's paraphrases, or a vague complaint on a healthy capture).
      const pair = paraphrases === null ? null : label.page !== null ? pairFor(label.path, paraphrases.pages[label.page] ?? []) : label.quiet ? pairFor(label.path, paraphrases.healthy) : null;
      if (pair !== null) for (const lang of ['en', 'zh'] as const) outcome.symptomAnswers.push({ lang, symptom: pair[lang], answer: matchCases(index, matched, pair[lang]).answer });
    } catch (error) {
      outcome.error = (error as Error).message;
    }
    outcomes.push(outcome);
  }
  const instanceOf = new Map(index.cases.flatMap((c) => (c.instanceOf === null ? [] : [[c.id, c.instanceOf] as [string, string]])));
  return { score: score(outcomes, instanceOf), outcomes };
}
