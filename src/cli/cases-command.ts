import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadCaseLibrary } from '../cases/load-case-library.js';
import { CaseIndex, searchTextProblem } from '../cases/search-cases.js';
import type { Config } from '../config.js';
import { searchResolved, type ResolvedHit } from '../investigations/queries.js';
import { renderResolvedHits } from '../report/render-investigations.js';
import { withInvestigations } from './with-store.js';
import { renderCaseText, renderSearchText } from '../report/render-cases.js';
import type { Outcome } from './exit-code.js';
import { USAGE } from './usage.js';
import { UsageError, type CliIo } from './io.js';

const CASES_USAGE = USAGE.cases;

/**
 * `netcase cases`: the case library. `lint` checks every page (exit 1 when a page is bad: the
 * library itself is broken, not the user's input), `show` prints one, `search` ranks them.
 */
export async function casesCommand(args: string[], io: CliIo, config: Config): Promise<Outcome> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options: { json: { type: 'boolean' }, limit: { type: 'string' } }, allowPositionals: true, strict: true });
  const library = await loadCaseLibrary({ readdir, readFile }, config.caseLibraryDir);
  switch (sub) {
    case 'lint': {
      if (library.problems.length > 0) {
        await io.stdout(library.problems.map((p) => `${p}\n`).join(''));
        io.stderr(`netcase: ${library.problems.length} problems in ${config.caseLibraryDir}\n`);
        return 'internal-error';
      }
      await io.stdout(`${library.cases.length} case pages OK\n`);
      return 'completed';
    }
    case 'show': {
      if (positionals.length !== 1) throw new UsageError(`expected one case id: ${CASES_USAGE}`);
      const c = library.cases.find((x) => x.id === positionals[0]);
      if (c === undefined) throw new UsageError(`no case with id "${positionals[0]}" (netcase cases search TEXT finds ids)`);
      await io.stdout(values.json ? `${JSON.stringify(c)}\n` : renderCaseText(c));
      return 'completed';
    }
    case 'search': {
      const text = positionals.join(' ').trim();
      if (text === '') throw new UsageError(`expected words to search for: ${CASES_USAGE}`);
      const tooLong = searchTextProblem(text);
      if (tooLong !== null) throw new UsageError(tooLong);
      const limit = values.limit === undefined ? 10 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit takes a positive whole number, not "${values.limit}"`);
      const hits = new CaseIndex(library.cases).search(text, limit);
      const resolved = await searchResolvedInvestigations(config, io, text, limit);
      if (values.json) {
        await io.stdout(`${JSON.stringify({ cases: hits.map((h) => ({ id: h.case.id, title: h.case.title, score: h.score, why: h.why })), investigations: resolved ?? [] })}\n`);
      } else {
        await io.stdout(renderSearchText(hits));
        if (resolved !== null) await io.stdout(`\nResolved investigations:\n${renderResolvedHits(resolved)}`);
      }
      return 'completed';
    }
    default:
      throw new UsageError(`unknown cases subcommand "${sub ?? ''}": ${CASES_USAGE}`);
  }
}

/** Resolved investigations matching the text too; null when there is no store yet (search does not create one). */
async function searchResolvedInvestigations(config: Config, io: CliIo, text: string, limit: number): Promise<ResolvedHit[] | null> {
  if (config.database.kind === 'sqlite' && !existsSync(config.database.file)) return null;
  return withInvestigations(config, io, (ctx) => searchResolved(ctx, text, limit));
}
