import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLabels, LabelError, type Label } from '../../src/eval/labels.js';
import { BASELINE_FILE, loadAllLabels, runEval } from '../../src/eval/run-eval.js';
import { regressions, score, type Score } from '../../src/eval/score.js';
import { renderEval } from '../../src/eval/render-eval.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const LIBRARY = resolve(ROOT, 'case-library');

describe('labels', () => {
  it('refuses unknown codes, double entries and entries that are neither expect nor quiet', () => {
    expect(() => parseLabels('- {file: a.pcap, expect: [tcp.no_such_code], why: x}', 'l.yml', 'd', 'matrix')).toThrow(LabelError);
    expect(() => parseLabels('- {file: a.pcap, why: x}', 'l.yml', 'd', 'matrix')).toThrow(/either expect/);
    expect(() => parseLabels('- {file: a.pcap, quiet: true, expect: [tcp.syn_rejected]}', 'l.yml', 'd', 'matrix')).toThrow(/either expect/);
    expect(() => parseLabels('- {file: a.pcap, quiet: true}\n- {file: a.pcap, quiet: true}', 'l.yml', 'd', 'matrix')).toThrow(/twice/);
    expect(() => parseLabels('- {file: a.pcap, expect: [tcp.syn_rejected], nearmiss: true}', 'l.yml', 'd', 'matrix')).toThrow(/near-miss/);
    const [l] = parseLabels('- {file: a.pcap, quiet: true, nearmiss: true, variant: {vantage: client}}', 'l.yml', 'd', 'matrix');
    expect(l).toMatchObject({ set: 'nearmiss', path: 'd/a.pcap', quiet: true, expect: [], variant: { vantage: 'client' } });
    // A ticket-number page id written without quotes is still that page.
    expect(parseLabels('- {file: b.pcap, expect: [dns.ptr_lookup_stall], page: 648865412280611}', 'l.yml', 'd', 'matrix')[0].page).toBe('648865412280611');
  });
});

describe('scoring', () => {
  const label = (file: string, fields: Partial<Label>): Label => ({ set: 'matrix', file, path: `m/${file}`, expect: [], allow: [], quiet: false, page: null, why: '', variant: {}, ...fields });
  const s = score([
    { label: label('a', { expect: ['tcp.syn_unanswered'], allow: ['tcp.syn_retransmit_delay'], page: 'syn-dropped-by-firewall' }), findings: [{ code: 'tcp.syn_unanswered', severity: 'high' }, { code: 'tcp.syn_retransmit_delay', severity: 'medium' }, { code: 'tcp.rst_abort', severity: 'medium' }], answer: 'syn-dropped-by-firewall', symptomAnswers: [], error: null },
    { label: label('b', { expect: ['tcp.syn_unanswered'], page: 'syn-dropped-by-firewall' }), findings: [{ code: 'tcp.syn_unanswered', severity: 'low' }], answer: null, symptomAnswers: [], error: null },
    { label: label('c', { quiet: true, set: 'nearmiss' }), findings: [{ code: 'tcp.rst_abort', severity: 'low' }], answer: null, symptomAnswers: [], error: null },
    { label: label('d', { quiet: true, set: 'nearmiss' }), findings: [{ code: 'tcp.zero_window', severity: 'high' }], answer: 'slow-receiver-zero-window', symptomAnswers: [], error: null },
  ]);
  it('counts a code at medium or above as raised, allow as neither hit nor false alarm', () => {
    expect(s.checks).toEqual([
      { code: 'tcp.rst_abort', tp: 0, fn: 0, fp: 1 },
      { code: 'tcp.syn_unanswered', tp: 1, fn: 1, fp: 0 },
      { code: 'tcp.zero_window', tp: 0, fn: 0, fp: 1 },
    ]);
    expect(s.misses).toEqual([{ set: 'matrix', file: 'm/b', code: 'tcp.syn_unanswered', raised: [] }]);
    expect(s.falseAlarms.map((f) => `${f.file} ${f.code} ${f.quiet}`)).toEqual(['m/a tcp.rst_abort false', 'm/d tcp.zero_window true']);
  });
  it('counts quiet healthy captures, answers per page and answers on healthy captures', () => {
    expect(s.sets).toEqual([
      { set: 'matrix', files: 2, expectations: 2, held: 1, quietFiles: 0, quietHeld: 0 },
      { set: 'nearmiss', files: 2, expectations: 2, held: 1, quietFiles: 2, quietHeld: 1 },
    ]);
    expect(s.pages).toEqual([{ page: 'syn-dropped-by-firewall', right: 1, none: 1, wrong: 0 }]);
    expect(s.healthyAnswered).toEqual([{ file: 'm/d', answer: 'slow-receiver-zero-window' }]);
    expect(s.holds).toEqual({ 'm/a': ['expect:tcp.syn_unanswered', 'page'], 'm/b': [], 'm/c': ['quiet'], 'm/d': [] });
    expect(renderEval(s)).toContain('| `tcp.syn_unanswered` | 1 | 1 | 0 | 100% | 50% |');
  });
  it('reports what held in the baseline and no longer holds, including a file that vanished', () => {
    expect(regressions({ x: ['quiet'], y: ['expect:tcp.zero_window'], z: ['quiet'] }, { x: ['quiet'], y: [] })).toEqual([
      { file: 'y', expectation: 'expect:tcp.zero_window' },
      { file: 'z', expectation: 'quiet' },
    ]);
  });
});

describe('the labelled captures (npm run eval)', () => {
  let labels: Label[];
  let result: Score;
  beforeAll(async () => {
    labels = await loadAllLabels(ROOT);
    result = (await runEval(ROOT, LIBRARY, labels)).score;
  }, 600_000);

  it('every label names a committed file and says why', () => {
    expect(labels.length).toBeGreaterThan(0);
    for (const l of labels) {
      expect(existsSync(resolve(ROOT, l.path)), l.path).toBe(true);
      expect(l.why.length, `${l.path} has no why`).toBeGreaterThan(10);
    }
  });

  it('the matrix has at least 4 variants of every fault class and near-misses', () => {
    const perClass = new Map<string, number>();
    for (const l of labels.filter((x) => x.set === 'matrix')) perClass.set(l.variant.class ?? '?', (perClass.get(l.variant.class ?? '?') ?? 0) + 1);
    const thin = [...perClass].filter(([, n]) => n < 4);
    expect(thin, 'classes with fewer than 4 variants').toEqual([]);
    expect(labels.filter((l) => l.set === 'nearmiss').length).toBeGreaterThanOrEqual(8);
  });

  it('no expectation that held in the committed baseline stops holding (NETCASE_EVAL_UPDATE=1 npm run eval updates it)', () => {
    const baseline = JSON.parse(readFileSync(resolve(ROOT, BASELINE_FILE), 'utf8')) as Record<string, string[]>;
    const lost = regressions(baseline, result.holds);
    expect(lost, renderEval(result, lost)).toEqual([]);
  });

  it('every capture with a known page is also matched with two symptom paraphrases, one English, one Chinese', () => {
    const withPage = labels.filter((l) => l.page !== null);
    const runs = result.pagesWithSymptom.reduce((n, p) => n + p.right + p.none + p.wrong, 0);
    expect(runs).toBe(2 * withPage.length);
    for (const l of withPage.filter((x) => x.set === 'matrix')) {
      const held = result.holds[l.path];
      // A page named without a symptom is still named with either paraphrase (the baseline pins the rest).
      if (held.includes('page')) expect([l.path, held.includes('page:en'), held.includes('page:zh')]).toEqual([l.path, true, true]);
    }
  });

  it('calibrated: a wrong answer is rarer than no answer, with and without a symptom; healthy captures stay unanswered unless a check raised a false alarm', () => {
    const total = (pages: Score['pages']) => pages.reduce((t, p) => ({ right: t.right + p.right, none: t.none + p.none, wrong: t.wrong + p.wrong }), { right: 0, none: 0, wrong: 0 });
    const plain = total(result.pages);
    const symptom = total(result.pagesWithSymptom);
    expect(plain.wrong).toBeLessThan(plain.none);
    expect(symptom.wrong).toBeLessThan(symptom.none);
    // Every healthy capture answered has a finding at medium or above that its label calls a false alarm.
    const falseAlarmFiles = new Set(result.falseAlarms.filter((f) => f.quiet).map((f) => f.file));
    for (const h of [...result.healthyAnswered, ...result.healthyAnsweredWithSymptom]) expect(falseAlarmFiles.has(h.file), h.file).toBe(true);
  });

  it('no labelled capture is unreadable', () => {
    expect(result.errors).toEqual([]);
  });
});
