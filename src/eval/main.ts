import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readConfig } from '../config.js';
import { renderEval } from './render-eval.js';
import { BASELINE_FILE, runEval } from './run-eval.js';
import { regressions } from './score.js';

/**
 * `npm run eval`: how well netcase diagnoses the labelled captures (the scenario matrix, its
 * near-misses and the labelled public captures). Prints the table and every miss and false alarm;
 * with NETCASE_EVAL_UPDATE=1 it writes the baseline (what holds today) for the test suite.
 * `--json` prints the score as JSON instead.
 */
const root = resolve(import.meta.dirname, '..', '..', '..');
const config = readConfig(process.env);
const { score } = await runEval(root, config.caseLibraryDir);
const baselinePath = join(root, BASELINE_FILE);
const update = (process.env.NETCASE_EVAL_UPDATE ?? '') !== '' && process.env.NETCASE_EVAL_UPDATE !== '0';
if (update) {
  const sorted = Object.fromEntries(Object.entries(score.holds).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(baselinePath, JSON.stringify(sorted, null, 1) + '\n');
}
const baseline = JSON.parse(await readFile(baselinePath, 'utf8').catch(() => '{}')) as Record<string, string[]>;
const lost = regressions(baseline, score.holds);
if (process.argv.includes('--json')) process.stdout.write(JSON.stringify({ ...score, regressions: lost }) + '\n');
else process.stdout.write(renderEval(score, lost) + (update ? `\nBaseline written to ${BASELINE_FILE}.\n` : ''));
