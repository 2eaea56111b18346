import { SEVERITY_RANK, type FindingCode, type Severity } from '../findings/catalog.js';
import type { EvalSet, Label } from './labels.js';

/** What netcase said about one labelled capture. */
export interface Outcome {
  label: Label;
  /** Every finding's code and severity (all captures of the file together). */
  findings: { code: FindingCode; severity: Severity }[];
  answer: string | null;
  /** The answer again with a symptom typed in English and in Chinese (run-eval's paraphrases). */
  symptomAnswers: { lang: 'en' | 'zh'; symptom: string; answer: string | null }[];
  /** The file could not be read or analysed: every expectation fails. */
  error: string | null;
}

export interface CheckScore {
  code: FindingCode;
  tp: number;
  fn: number;
  fp: number;
}

export interface SetScore {
  set: EvalSet;
  files: number;
  expectations: number;
  held: number;
  quietFiles: number;
  quietHeld: number;
}

export interface PageScore {
  page: string;
  right: number;
  none: number;
  wrong: number;
}

export interface Score {
  checks: CheckScore[];
  sets: SetScore[];
  pages: PageScore[];
  /** The same with a symptom paraphrase (each capture counts once in English, once in Chinese). */
  pagesWithSymptom: PageScore[];
  /** Healthy captures (quiet labels) that got a case-library answer anyway. */
  healthyAnswered: { file: string; answer: string }[];
  /** ...or got one once a vague symptom was typed. */
  healthyAnsweredWithSymptom: { file: string; lang: string; answer: string }[];
  /** Captures with a page whose symptom run named another page. */
  wrongWithSymptom: { file: string; lang: string; symptom: string; page: string; answer: string }[];
  misses: { set: EvalSet; file: string; code: FindingCode; raised: string[] }[];
  falseAlarms: { set: EvalSet; file: string; code: FindingCode; severity: Severity; quiet: boolean }[];
  errors: { file: string; error: string }[];
  /** Per labelled file (its set folder + file), the expectations that held: `expect:CODE`, `quiet`. */
  holds: Record<string, string[]>;
}

/** Findings at or above this severity are what a label talks about. */
const LABELLED = SEVERITY_RANK.medium;

export function labelKey(label: Label): string {
  return label.path;
}

/**
 * `instanceOf`: each case page's general page (case-library relations). An answer that is an
 * instance of the labelled general page (the Android incident for an incomplete chain, when the
 * symptom says Android) is the right page, named more precisely.
 */
export function score(outcomes: Outcome[], instanceOf: ReadonlyMap<string, string> = new Map()): Score {
  const right = (answer: string | null, page: string) => answer !== null && (answer === page || instanceOf.get(answer) === page);
  const checks = new Map<FindingCode, CheckScore>();
  const check = (code: FindingCode) => {
    let c = checks.get(code);
    if (!c) checks.set(code, (c = { code, tp: 0, fn: 0, fp: 0 }));
    return c;
  };
  const sets = new Map<EvalSet, SetScore>();
  const pages = new Map<string, PageScore>();
  const result: Score = { checks: [], sets: [], pages: [], pagesWithSymptom: [], healthyAnswered: [], healthyAnsweredWithSymptom: [], wrongWithSymptom: [], misses: [], falseAlarms: [], errors: [], holds: {} };
  const withSymptom = new Map<string, PageScore>();
  for (const outcome of outcomes) {
    const { label, findings, answer, error } = outcome;
    let set = sets.get(label.set);
    if (!set) sets.set(label.set, (set = { set: label.set, files: 0, expectations: 0, held: 0, quietFiles: 0, quietHeld: 0 }));
    set.files++;
    if (error !== null) result.errors.push({ file: label.path, error });
    const raised = new Map<FindingCode, Severity>();
    for (const f of findings) {
      if (SEVERITY_RANK[f.severity] < LABELLED) continue;
      const before = raised.get(f.code);
      if (before === undefined || SEVERITY_RANK[f.severity] > SEVERITY_RANK[before]) raised.set(f.code, f.severity);
    }
    const holds: string[] = [];
    for (const code of label.expect) {
      set.expectations++;
      if (raised.has(code)) {
        check(code).tp++;
        set.held++;
        holds.push(`expect:${code}`);
      } else {
        check(code).fn++;
        result.misses.push({ set: label.set, file: label.path, code, raised: [...raised.keys()] });
      }
    }
    if (label.quiet) {
      set.quietFiles++;
      set.expectations++;
      if (raised.size === 0 && error === null) {
        set.quietHeld++;
        set.held++;
        holds.push('quiet');
      }
    }
    for (const [code, severity] of raised) {
      if (label.expect.includes(code) || label.allow.includes(code)) continue;
      check(code).fp++;
      result.falseAlarms.push({ set: label.set, file: label.path, code, severity, quiet: label.quiet });
    }
    result.holds[labelKey(label)] = holds;
    if (label.page !== null) {
      count(pages, label.page, answer, right(answer, label.page));
      if (right(answer, label.page)) holds.push('page');
      for (const s of outcome.symptomAnswers) {
        count(withSymptom, label.page, s.answer, right(s.answer, label.page));
        if (right(s.answer, label.page)) holds.push(`page:${s.lang}`);
        else if (s.answer !== null) result.wrongWithSymptom.push({ file: label.path, lang: s.lang, symptom: s.symptom, page: label.page, answer: s.answer });
      }
    } else if (label.quiet) {
      if (answer !== null) result.healthyAnswered.push({ file: label.path, answer });
      for (const s of outcome.symptomAnswers) if (s.answer !== null) result.healthyAnsweredWithSymptom.push({ file: label.path, lang: s.lang, answer: s.answer });
    }
  }
  result.checks = [...checks.values()].sort((a, b) => a.code.localeCompare(b.code));
  const order: EvalSet[] = ['matrix', 'nearmiss', 'public'];
  result.sets = [...sets.values()].sort((a, b) => order.indexOf(a.set) - order.indexOf(b.set));
  result.pages = [...pages.values()].sort((a, b) => a.page.localeCompare(b.page));
  result.pagesWithSymptom = [...withSymptom.values()].sort((a, b) => a.page.localeCompare(b.page));
  return result;
}

function count(pages: Map<string, PageScore>, page: string, answer: string | null, right: boolean): void {
  let p = pages.get(page);
  if (!p) pages.set(page, (p = { page, right: 0, none: 0, wrong: 0 }));
  if (right) p.right++;
  else if (answer === null) p.none++;
  else p.wrong++;
}

/** Expectations that held in the baseline and do not hold now. */
export function regressions(baseline: Record<string, string[]>, now: Record<string, string[]>): { file: string; expectation: string }[] {
  const lost: { file: string; expectation: string }[] = [];
  for (const [file, held] of Object.entries(baseline)) {
    const current = new Set(now[file] ?? []);
    for (const e of held) if (!current.has(e)) lost.push({ file, expectation: e });
  }
  return lost;
}
