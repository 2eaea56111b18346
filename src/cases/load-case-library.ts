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

/** The case-library folder itself cannot be read (a wrong NETCASE_CASE_LIBRARY): bad configuration. */
export class CaseLibraryError extends Error {
  override name = 'CaseLibraryError';
}

/** Loads every page of a case-library folder (README.md is the format's description, not a case). */
export async function loadCaseLibrary(fs: CaseLibraryFs, dir: string): Promise<CaseLibrary> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CaseLibraryError(`case library ${dir}: ${code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : (error as Error).message} (NETCASE_CASE_LIBRARY)`);
  }
  const files = names.filter((f) => f.endsWith('.md') && f !== 'README.md').sort();
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
  // Relations point at pages that exist, one level deep: an instance's general page is no instance itself.
  const byId = new Map(cases.map((c) => [c.id, c]));
  for (const c of cases) {
    if (c.instanceOf === null) continue;
    const general = byId.get(c.instanceOf);
    if (general === undefined) problems.push(`${c.file}: instance_of names "${c.instanceOf}", which is not a page of the library`);
    else if (general.instanceOf !== null) problems.push(`${c.file}: instance_of names "${c.instanceOf}", which is itself an instance of "${general.instanceOf}"; point at the general page`);
  }
  return { cases, problems };
}
