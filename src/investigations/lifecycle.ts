import { normalizeInvestigationId, newInvestigationId } from '../store/ids.js';
import { isUniqueViolation, writeTransaction } from '../store/dialect.js';
import { findInvestigationByThread, getInvestigation, insertInvestigation, updateInvestigation } from '../store/investigation-repo.js';
import type { Investigation, InvestigationStatus } from '../store/records.js';
import { addTimeline } from '../store/timeline-repo.js';
import { InvestigationError, LIMITS, textField, type InvestigationsContext } from './context.js';

export interface OpenInput {
  title: string;
  symptom?: string | null;
  workspace?: string | null;
  channel?: string | null;
  threadTs?: string | null;
  owner?: string | null;
  ticket?: string | null;
  actor?: string | null;
  /** How it was opened, for the timeline ("upload", "cli", ...). */
  source?: string;
}

/** Opens an investigation (from an upload, or by hand). */
export async function openInvestigation(ctx: InvestigationsContext, input: OpenInput): Promise<Investigation> {
  const title = textField('title', input.title, LIMITS.title, true);
  const symptom = textField('symptom', input.symptom, LIMITS.symptom) ?? '';
  const owner = textField('owner', input.owner, LIMITS.actor);
  const ticket = textField('ticket', input.ticket, LIMITS.ticket);
  const actor = textField('actor', input.actor, LIMITS.actor);
  const now = ctx.now();
  const at = now.toISOString();
  for (let attempt = 1; ; attempt++) {
    const id = newInvestigationId();
    try {
      await writeTransaction(ctx.store, [], async (trx) => {
        await insertInvestigation(trx, {
          id, workspace: input.workspace ?? null, channel: input.channel ?? null, thread_ts: input.threadTs ?? null, title, symptom, status: 'open', owner, ticket,
          created_at: at, updated_at: at, resolved_at: null, last_activity_at: at, stale_at: null, root_cause: null, fix: null, commands: null, resolved_case_id: null, status_ts: null, version: 1, answer_case_id: null, no_answer: null,
        });
        await addTimeline(trx, id, now, 'opened', actor, `opened${input.source ? ` from ${input.source}` : ''}: ${title}`);
      });
      return (await getInvestigation(ctx.store.db, id))!;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // One investigation per Slack thread: another process opened this thread's a moment ago.
      if (input.channel && input.threadTs) {
        const existing = await findInvestigationByThread(ctx.store.db, input.channel, input.threadTs);
        if (existing !== null) return existing;
      }
      if (attempt < 5) continue;
      throw error;
    }
  }
}

/** The investigation with this id (case and look-alike letters forgiven), or a clear error. */
export async function requireInvestigation(ctx: InvestigationsContext, id: string): Promise<Investigation> {
  const found = await getInvestigation(ctx.store.db, normalizeInvestigationId(id));
  if (found === null) throw new InvestigationError(`no investigation with id "${id.slice(0, 40)}"`);
  return found;
}

/**
 * Changes an investigation inside one write transaction, after checking its state there (so two
 * processes cannot both resolve it, and no update is lost), and records it in the timeline.
 */
async function change(
  ctx: InvestigationsContext,
  id: string,
  allowed: InvestigationStatus[],
  apply: (inv: Investigation, at: string) => { patch: Parameters<typeof updateInvestigation>[2]; event: { kind: string; actor: string | null; text: string } },
): Promise<Investigation> {
  const key = normalizeInvestigationId(id);
  const now = ctx.now();
  await writeTransaction(ctx.store, [key], async (trx) => {
    const inv = await getInvestigation(trx, key);
    if (inv === null) throw new InvestigationError(`no investigation with id "${id.slice(0, 40)}"`);
    if (!allowed.includes(inv.status)) throw new InvestigationError(`investigation ${inv.id} is ${inv.status}${inv.status === 'open' ? '' : '; reopen it first'}`);
    const at = now.toISOString();
    const { patch, event } = apply(inv, at);
    await updateInvestigation(trx, inv.id, { ...patch, updated_at: at, last_activity_at: at, stale_at: null });
    await addTimeline(trx, inv.id, now, event.kind, event.actor, event.text);
  });
  return (await getInvestigation(ctx.store.db, key))!;
}

export interface ResolveInput {
  rootCause: string;
  fix: string;
  commands?: string | null;
  caseId?: string | null;
  ticket?: string | null;
  actor?: string | null;
}

export async function resolveInvestigation(ctx: InvestigationsContext, id: string, input: ResolveInput): Promise<Investigation> {
  const rootCause = textField('root cause', input.rootCause, LIMITS.resolutionField, true);
  const fix = textField('fix', input.fix, LIMITS.resolutionField, true);
  const commands = textField('commands', input.commands, LIMITS.resolutionField);
  const caseId = textField('case id', input.caseId, LIMITS.ticket);
  if (caseId !== null && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(caseId)) throw new InvestigationError(`case id "${caseId}" is not a case-library id (digits or kebab-case)`);
  const ticket = textField('ticket', input.ticket, LIMITS.ticket);
  const actor = textField('actor', input.actor, LIMITS.actor);
  return change(ctx, id, ['open'], (inv, at) => ({
    patch: { status: 'resolved', resolved_at: at, root_cause: rootCause, fix, commands, resolved_case_id: caseId, ...(ticket === null ? {} : { ticket }) },
    event: { kind: 'resolved', actor, text: `resolved${caseId ? ` as case ${caseId}` : ''}: ${rootCause}` },
  }));
}

export async function reopenInvestigation(ctx: InvestigationsContext, id: string, actor: string | null = null): Promise<Investigation> {
  return change(ctx, id, ['resolved', 'dismissed'], (inv) => ({
    patch: { status: 'open', resolved_at: null },
    event: { kind: 'reopened', actor, text: `reopened (was ${inv.status})` },
  }));
}

export async function dismissInvestigation(ctx: InvestigationsContext, id: string, actor: string | null = null, reason: string | null = null): Promise<Investigation> {
  const why = textField('reason', reason, LIMITS.note);
  return change(ctx, id, ['open'], () => ({ patch: { status: 'dismissed' }, event: { kind: 'dismissed', actor, text: `dismissed${why ? `: ${why}` : ''}` } }));
}

export async function takeOwnership(ctx: InvestigationsContext, id: string, owner: string): Promise<Investigation> {
  const who = textField('owner', owner, LIMITS.actor, true);
  return change(ctx, id, ['open'], () => ({ patch: { owner: who }, event: { kind: 'owner', actor: who, text: `${who} took it` } }));
}

export async function addNote(ctx: InvestigationsContext, id: string, text: string, actor: string | null = null): Promise<Investigation> {
  const note = textField('note', text, LIMITS.note, true);
  return change(ctx, id, ['open', 'resolved', 'dismissed'], () => ({ patch: {}, event: { kind: 'note', actor, text: note } }));
}

/** Stores the ts of the thread's status message, so later attempts edit it instead of posting again. */
export async function setStatusTs(ctx: InvestigationsContext, id: string, ts: string): Promise<void> {
  await updateInvestigation(ctx.store.db, normalizeInvestigationId(id), { status_ts: ts });
}

/**
 * Replaces (or appends to) the symptom text. Returns the investigation; the caller re-ranks the
 * cases with rerankCases when the text changed.
 */
export async function updateSymptom(ctx: InvestigationsContext, id: string, text: string, options: { append: boolean; actor?: string | null }): Promise<Investigation> {
  const addition = textField('symptom', text, LIMITS.symptom, true);
  return change(ctx, id, ['open', 'resolved', 'dismissed'], (inv) => {
    const symptom = options.append && inv.symptom !== '' ? `${inv.symptom}\n${addition}` : addition;
    if (symptom.length > LIMITS.symptom) throw new InvestigationError(`symptom would be ${symptom.length} characters long; at most ${LIMITS.symptom} are kept`);
    return { patch: { symptom }, event: { kind: 'symptom', actor: options.actor ?? null, text: options.append ? `symptom added: ${addition}` : `symptom set: ${addition}` } };
  });
}
