import { readdir, readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadCaseLibrary } from '../cases/load-case-library.js';
import type { Config } from '../config.js';
import { exportCasePage } from '../investigations/export-case-page.js';
import { addNote, dismissInvestigation, openInvestigation, reopenInvestigation, resolveInvestigation, takeOwnership } from '../investigations/lifecycle.js';
import { listInvestigationItems, showInvestigation } from '../investigations/queries.js';
import { INVESTIGATION_STATUSES, type InvestigationStatus } from '../store/records.js';
import { renderInvestigationDetail, renderInvestigationList } from '../report/render-investigations.js';
import type { Outcome } from './exit-code.js';
import { UsageError, type CliIo } from './io.js';
import { USAGE } from './usage.js';
import { cliActor, withInvestigations } from './with-store.js';

const OPTIONS = {
  json: { type: 'boolean' },
  status: { type: 'string' },
  limit: { type: 'string' },
  cause: { type: 'string' },
  fix: { type: 'string' },
  commands: { type: 'string' },
  case: { type: 'string' },
  ticket: { type: 'string' },
  title: { type: 'string' },
  symptom: { type: 'string' },
  owner: { type: 'string' },
  reason: { type: 'string' },
  out: { type: 'string' },
} as const;

/** `netcase investigations`: the store's investigations from the command line. */
export async function investigationsCommand(args: string[], io: CliIo, config: Config): Promise<Outcome> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  const one = (): string => {
    if (positionals.length !== 1) throw new UsageError(`expected one investigation id: ${USAGE.investigations}`);
    return positionals[0];
  };
  const actor = cliActor(io);
  const print = (text: string) => io.stdout(text);
  switch (sub) {
    case 'list': {
      const status = (values.status ?? 'open') as InvestigationStatus | 'all';
      if (status !== 'all' && !INVESTIGATION_STATUSES.includes(status)) throw new UsageError(`--status takes open, resolved, dismissed or all, not "${values.status}"`);
      const limit = values.limit === undefined ? 200 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit takes a positive whole number, not "${values.limit}"`);
      const list = await withInvestigations(config, io, (ctx) => listInvestigationItems(ctx, { status, limit }));
      await print(values.json ? `${JSON.stringify({ investigations: list })}\n` : renderInvestigationList(list, status));
      return 'completed';
    }
    case 'show': {
      const id = one();
      const d = await withInvestigations(config, io, (ctx) => showInvestigation(ctx, id));
      await print(values.json ? `${JSON.stringify(d)}\n` : renderInvestigationDetail(d));
      return 'completed';
    }
    case 'open': {
      if (positionals.length > 0) throw new UsageError(`open takes --title TEXT, not an id: ${USAGE.investigations}`);
      if (values.title === undefined) throw new UsageError(`open needs --title TEXT: ${USAGE.investigations}`);
      const inv = await withInvestigations(config, io, (ctx) => openInvestigation(ctx, { title: values.title!, symptom: values.symptom, owner: values.owner, ticket: values.ticket, actor, source: 'cli' }));
      await print(values.json ? `${JSON.stringify({ investigation: { id: inv.id } })}\n` : `${inv.id} opened: ${inv.title}\n`);
      return 'completed';
    }
    case 'resolve': {
      const id = one();
      if (values.cause === undefined || values.fix === undefined) throw new UsageError(`resolve needs --cause TEXT and --fix TEXT: ${USAGE.investigations}`);
      if (values.case !== undefined && values.case.trim() !== '') await requireCase(config, values.case.trim());
      const inv = await withInvestigations(config, io, (ctx) => resolveInvestigation(ctx, id, { rootCause: values.cause!, fix: values.fix!, commands: values.commands, caseId: values.case, ticket: values.ticket, actor }));
      await print(`${inv.id} resolved${inv.resolution?.caseId ? ` (case ${inv.resolution.caseId})` : ''}\n`);
      return 'completed';
    }
    case 'reopen': {
      const id = one();
      const inv = await withInvestigations(config, io, (ctx) => reopenInvestigation(ctx, id, actor));
      await print(`${inv.id} reopened\n`);
      return 'completed';
    }
    case 'dismiss': {
      const id = one();
      const inv = await withInvestigations(config, io, (ctx) => dismissInvestigation(ctx, id, actor, values.reason));
      await print(`${inv.id} dismissed\n`);
      return 'completed';
    }
    case 'take': {
      const id = one();
      const owner = values.owner ?? io.env.USER;
      if (owner === undefined || owner.trim() === '') throw new UsageError('take needs --owner NAME (or USER set)');
      const inv = await withInvestigations(config, io, (ctx) => takeOwnership(ctx, id, owner));
      await print(`${inv.id} is owned by ${inv.owner}\n`);
      return 'completed';
    }
    case 'note': {
      const [id, ...words] = positionals;
      if (id === undefined || words.length === 0) throw new UsageError(`note needs an id and the note's text: ${USAGE.investigations}`);
      const inv = await withInvestigations(config, io, (ctx) => addNote(ctx, id, words.join(' '), actor));
      await print(`note added to ${inv.id}\n`);
      return 'completed';
    }
    case 'export': {
      const id = one();
      const page = await withInvestigations(config, io, (ctx) => exportCasePage(ctx, id));
      if (values.out === undefined || values.out === '' || values.out === '-') {
        await print(page.text);
      } else {
        try {
          await writeFile(values.out, page.text, { flag: 'wx' });
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          throw new UsageError(`${values.out}: ${code === 'EEXIST' ? 'already exists (netcase does not overwrite; pick another --out)' : code === 'ENOENT' ? 'no such folder' : (error as Error).message}`);
        }
        io.stderr(`netcase: wrote the draft case page ${page.file} to ${values.out}; review it, then save it as case-library/${page.file}\n`);
      }
      return 'completed';
    }
    default:
      throw new UsageError(`unknown investigations subcommand "${sub ?? ''}": ${USAGE.investigations}`);
  }
}

async function requireCase(config: Config, id: string): Promise<void> {
  const library = await loadCaseLibrary({ readdir, readFile }, config.caseLibraryDir);
  if (!library.cases.some((c) => c.id === id)) throw new UsageError(`--case: no case with id "${id.slice(0, 80)}" in the case library (netcase cases search TEXT finds ids)`);
}
