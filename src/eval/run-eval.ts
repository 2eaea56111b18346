import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { analyzeCapture } from '../analysis/analyze-capture.js';
import { readCaptures } from '../capture/read-capture.js';
import { loadCaseLibrary } from '../cases/load-case-library.js';
import { CaseIndex } from '../cases/search-cases.js';
import { parseLabels, type Label } from './labels.js';
import { score, type Outcome, type Score } from './score.js';

/** Where the labelled captures live, relative to the repository root. */
export const LABEL_FILES = { matrix: 'test/fixtures/matrix', public: 'test/fixtures/public/labels.yml' } as const;
export const BASELINE_FILE = 'test/eval/baseline.json';

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
  const outcomes: Outcome[] = [];
  for (const label of all) {
    const outcome: Outcome = { label, findings: [], answer: null, error: null };
    try {
      for await (const capture of readCaptures(join(root, label.path))) {
        const a = await analyzeCapture(capture, { cases: index });
        outcome.findings.push(...a.findings.map((f) => ({ code: f.code, severity: f.severity })));
        outcome.answer ??= a.answer;
      }
    } catch (error) {
      outcome.error = (error as Error).message;
    }
    outcomes.push(outcome);
  }
  return { score: score(outcomes), outcomes };
}
