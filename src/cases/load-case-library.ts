import type { Case } from './case.js';
import { parseCasePage } from './parse-case-page.js';

/** The narrow file-system surface the loader needs (node:fs/promises fits; tests may pass their own). */
export interface CaseLibraryFs {
  readdir(dir: string): Promise<string[]>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
}

export interface CaseLibrary {
  cases: Case[];
  /** Every problem found; a page with problems is left out of `cases`. */
  problems: string[];
}

/** Loads every page of a case-library folder (README.md is the format's description, not a case). */
export async function loadCaseLibrary(fs: CaseLibraryFs, dir: string): Promise<CaseLibrary> {
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.md') && f !== 'README.md').sort();
  const cases: Case[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const parsed = parseCasePage(file, await fs.readFile(`${dir}/${file}`, 'utf8'));
    problems.push(...parsed.problems);
    if (parsed.page === null) continue;
    const other = seen.get(parsed.page.id);
    if (other !== undefined) {
      problems.push(`${file}: id "${parsed.page.id}" is also used by ${other}`);
      continue;
    }
    seen.set(parsed.page.id, file);
    cases.push(parsed.page);
  }
  return { cases, problems };
}
