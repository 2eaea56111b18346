import { parse } from 'yaml';
import { FINDING_CODES, type FindingCode } from '../findings/catalog.js';

/**
 * A labelled capture: what a correct tool must say about it, decided from how the capture was made
 * (or from its own documentation), never from what netcase says. `expect` lists the codes that must
 * be raised at medium or above; `quiet` means nothing at medium or above; `allow` lists codes that
 * are acceptable there but not required. `page` is the case page that is the right answer.
 */
export interface Label {
  /** The labels file's set: matrix, nearmiss or public. */
  set: EvalSet;
  /** Path relative to the labels file's folder, as written in the file. */
  file: string;
  /** The labels file's folder joined with `file`. */
  path: string;
  expect: FindingCode[];
  allow: FindingCode[];
  quiet: boolean;
  page: string | null;
  why: string;
  variant: Record<string, string>;
}

export type EvalSet = 'matrix' | 'nearmiss' | 'public';

export class LabelError extends Error {}

const CODES = new Set<string>(FINDING_CODES);

function codes(where: string, field: string, value: unknown): FindingCode[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new LabelError(`${where}: ${field} must be a list of finding codes`);
  return value.map((c) => {
    if (typeof c !== 'string' || !CODES.has(c)) throw new LabelError(`${where}: ${field} has ${JSON.stringify(c)}, not a finding code`);
    return c as FindingCode;
  });
}

/**
 * Parses one labels.yml. `dir` is the folder the files are relative to; `defaultSet` is 'public'
 * for public captures and 'matrix' otherwise (entries with `nearmiss: true` form the near-miss set).
 */
export function parseLabels(text: string, source: string, dir: string, defaultSet: 'matrix' | 'public'): Label[] {
  const doc: unknown = parse(text);
  if (!Array.isArray(doc)) throw new LabelError(`${source}: expected a YAML list of labels`);
  const seen = new Set<string>();
  return doc.map((raw, i) => {
    const where = `${source} entry ${i + 1}`;
    if (typeof raw !== 'object' || raw === null) throw new LabelError(`${where}: not a mapping`);
    const e = raw as Record<string, unknown>;
    if (typeof e.file !== 'string' || e.file === '') throw new LabelError(`${where}: file is missing`);
    if (seen.has(e.file)) throw new LabelError(`${where}: ${e.file} is labelled twice`);
    seen.add(e.file);
    const expect = codes(`${where} (${e.file})`, 'expect', e.expect);
    const allow = codes(`${where} (${e.file})`, 'allow', e.allow);
    const quiet = e.quiet === true;
    if (quiet === (expect.length > 0)) throw new LabelError(`${where} (${e.file}): give either expect (codes) or quiet: true`);
    if (e.nearmiss === true && !quiet) throw new LabelError(`${where} (${e.file}): a near-miss must be quiet`);
    const variant: Record<string, string> = {};
    if (typeof e.variant === 'object' && e.variant !== null) for (const [k, v] of Object.entries(e.variant)) variant[k] = String(v);
    return {
      set: e.nearmiss === true ? 'nearmiss' : defaultSet,
      file: e.file,
      path: `${dir}/${e.file}`,
      expect,
      allow,
      quiet,
      // A ticket-number page id may come as a YAML number.
      page: (typeof e.page === 'string' && e.page !== '') || typeof e.page === 'number' ? String(e.page) : null,
      why: typeof e.why === 'string' ? e.why : '',
      variant,
    };
  });
}
