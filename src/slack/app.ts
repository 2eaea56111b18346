import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type App as BoltApp, type Receiver } from '@slack/bolt';
import { requireCapture, rerankCases } from '../investigations/captures.js';
import { InvestigationError } from '../investigations/context.js';
import { requireInvestigation, resolveInvestigation, takeOwnership, updateSymptom } from '../investigations/lifecycle.js';
import { listInvestigationItems, showInvestigation } from '../investigations/queries.js';
import { claimSlackEvent, findInvestigation, investigationOfThread, recordFeedback } from '../investigations/slack-state.js';
import { markdownReport } from '../report/markdown-report.js';
import { code, cut, esc } from '../report/mrkdwn.js';
import { section, type SlackMessage } from '../report/slack-blocks.js';
import { caseMessage, helpMessage, openListBlocks, resolveModal } from '../report/slack-case.js';
import { findingBlock } from '../report/slack-result.js';
import { words } from '../report/words.js';
import { rankFindings } from '../findings/finding.js';
import type { SlackFile } from './capture-files.js';
import type { BotDeps } from './deps.js';
import { buildDigest } from './digest.js';
import { guardSlackRequests } from './request-guard.js';
import { resultFromStore } from './result.js';
import { searchCommand } from './search-command.js';
import { analyseAgain, handleUpload, symptomOf } from './upload-flow.js';


export interface ReceiverChoice {
  kind: 'http' | 'socket';
  receiver: Receiver;
}

/**
 * HTTP (Bolt's HTTP receiver on PORT, /slack/events for events, commands, shortcuts and
 * interactivity, signatures verified) unless SLACK_APP_TOKEN is set: then Socket Mode.
 */
export function chooseReceiver(c: { appToken: string | null; signingSecret: string | null; logLevel: string }, routes: { path: string; method: string[] | string; handler: (req: unknown, res: { writeHead: (n: number, h?: Record<string, string>) => void; end: (s: string) => void }) => void }[] = [], onRefused?: (status: number, why: string) => void): ReceiverChoice {
  if (c.appToken !== null) return { kind: 'socket', receiver: new SocketModeReceiver({ appToken: c.appToken, logLevel: level(c.logLevel) }) };
  const http = new HTTPReceiver({ signingSecret: c.signingSecret ?? '', endpoints: '/slack/events', processBeforeResponse: false, customRoutes: routes as never, logLevel: level(c.logLevel) });
  // Signature, clock skew and body shape are checked before Bolt sees a request (request-guard.ts).
  return { kind: 'http', receiver: guardSlackRequests(http, { signingSecret: c.signingSecret ?? '', endpoint: '/slack/events', onRefused }) };
}

function level(name: string) {
  return name === 'debug' ? LogLevel.DEBUG : name === 'warn' ? LogLevel.WARN : name === 'error' ? LogLevel.ERROR : LogLevel.INFO;
}

/** The Bolt app: thin listeners over the upload flow, the investigations service and the renderers. */
export function createApp(deps: BotDeps, o: { token: string; receiver: Receiver; apiUrl: string | null; logLevel: string; botUserId: string | null; botId: string | null }): BoltApp {
  const app = new App({
    token: o.token,
    receiver: o.receiver,
    logLevel: level(o.logLevel),
    clientOptions: o.apiUrl ? { slackApiUrl: o.apiUrl } : {},
    botUserId: o.botUserId ?? undefined,
    botId: o.botId ?? undefined,
    tokenVerificationEnabled: false,
  });
  const w = words(deps.lang);
  const allowed = (channel: string | undefined) => channel !== undefined && (deps.channels === null || deps.channels.has(channel));
  const run = (what: string, work: () => Promise<unknown>) =>
    work().catch((error: unknown) => deps.log('error', `${what} failed`, { error: (error as Error).message ?? String(error) }));

  app.event('message', async ({ event, body }) => {
    const e = event as unknown as { subtype?: string; channel: string; user?: string; ts: string; thread_ts?: string; text?: string; files?: SlackFile[]; bot_id?: string };
    if (e.subtype !== 'file_share' || e.bot_id !== undefined || !allowed(e.channel)) return;
    const b = body as { event_id?: string; team_id?: string };
    await deps.waitForDatabase();
    if (b.event_id !== undefined && !(await claimSlackEvent(deps.inv, b.event_id))) return;
    await run('upload', () => handleUpload(deps, { workspace: b.team_id ?? null, channel: e.channel, user: e.user ?? null, ts: e.ts, threadTs: e.thread_ts && e.thread_ts !== e.ts ? e.thread_ts : null, text: e.text ?? '', files: e.files ?? [] }));
  });

  app.event('app_mention', async ({ event, body }) => {
    const e = event as unknown as { channel: string; user?: string; ts: string; thread_ts?: string; text?: string; files?: unknown[] };
    if (!e.thread_ts || (e.files?.length ?? 0) > 0 || !allowed(e.channel)) return;
    const b = body as { event_id?: string };
    await deps.waitForDatabase();
    if (b.event_id !== undefined && !(await claimSlackEvent(deps.inv, b.event_id))) return;
    await run('mention', () => addSymptom(deps, e.channel, e.thread_ts!, symptomOf(e.text ?? '', deps.botUserId), e.user ?? null));
  });

  app.event('app_home_opened', async ({ event, client }) => {
    const e = event as unknown as { user: string; tab?: string };
    if (e.tab !== undefined && e.tab !== 'home') return;
    const items = await listInvestigationItems(deps.inv, { status: 'open', owner: e.user, limit: 40 });
    await client.views.publish({ user_id: e.user, view: { type: 'home', blocks: [section(`*${esc(w.digestTitle(items.length))}*`), ...openListBlocks(items, deps.lang, deps.workspaceUrl), section(w.help)] as never } });
  });

  app.command('/netcase', async ({ command, ack, respond, client }) => {
    await ack();
    await run('command', async () => {
      const reply = (m: SlackMessage) => respond({ response_type: 'ephemeral', text: m.text, blocks: m.blocks as never });
      const [sub = 'help', ...rest] = command.text.trim().split(/\s+/).filter((s) => s !== '');
      const arg = rest.join(' ');
      if (!allowed(command.channel_id) && sub !== 'help') return reply({ text: 'not here', blocks: [section(esc(`netcase is not active in this channel (NETCASE_CHANNELS).`))] });
      switch (sub.toLowerCase()) {
        case 'search':
          return reply(await searchCommand(deps, arg));
        case 'case': {
          const c = deps.cases.byId.get(arg);
          return reply(c === undefined ? { text: 'no case', blocks: [section(`${esc('No case with id')} ${code(cut(arg, 80))}. ${esc('Try /netcase search.')}`)] } : caseMessage(c, deps.lang));
        }
        case 'open': {
          const all = arg.toLowerCase() === 'all';
          const items = await listInvestigationItems(deps.inv, { status: 'open', channel: all ? undefined : command.channel_id, limit: 40 });
          return reply({ text: w.digestTitle(items.length), blocks: [section(`*${esc(w.digestTitle(items.length))}*`), ...openListBlocks(items, deps.lang, deps.workspaceUrl)] });
        }
        case 'resolve': {
          const inv = arg === '' ? null : await findInvestigation(deps.inv, arg);
          if (inv === null) return reply({ text: 'no investigation', blocks: [section(`${esc('No investigation with id')} ${code(cut(arg, 40))}. ${esc('In a thread, use the Resolve button or the "Resolve netcase investigation" shortcut.')}`)] });
          await client.views.open({ trigger_id: command.trigger_id, view: resolveModalFor(deps, inv) });
          return;
        }
        case 'digest': {
          const target = deps.digestChannel ?? command.channel_id;
          await deps.notifier.post(target, null, await buildDigest(deps.inv, { lang: deps.lang, staleDays: deps.staleDays, workspaceUrl: deps.workspaceUrl }));
          if (target !== command.channel_id) await reply({ text: 'posted', blocks: [section(`${esc('Digest posted in')} <#${esc(target)}>`)] });
          return;
        }
        default:
          return reply(helpMessage(deps.lang));
      }
    });
  });

  app.shortcut('nc_analyse', async ({ shortcut, ack }) => {
    await ack();
    const s = shortcut as unknown as { channel?: { id: string }; team?: { id: string }; user?: { id: string }; message?: { ts: string; thread_ts?: string; text?: string; files?: SlackFile[]; user?: string } };
    if (s.message === undefined || s.channel === undefined || !allowed(s.channel.id)) return;
    const m = s.message;
    await run('shortcut', () => handleUpload(deps, { workspace: s.team?.id ?? null, channel: s.channel!.id, user: m.user ?? s.user?.id ?? null, ts: m.ts, threadTs: m.thread_ts && m.thread_ts !== m.ts ? m.thread_ts : null, text: m.text ?? '', files: m.files ?? [] }));
  });

  app.shortcut('nc_resolve_shortcut', async ({ shortcut, ack, client, respond }) => {
    await ack();
    const s = shortcut as unknown as { trigger_id: string; channel?: { id: string }; message?: { ts: string; thread_ts?: string } };
    if (s.channel === undefined || s.message === undefined) return;
    const inv = await investigationOfThread(deps.inv, s.channel.id, s.message.thread_ts ?? s.message.ts);
    if (inv === null) {
      await respond({ response_type: 'ephemeral', text: 'This thread has no netcase investigation.' });
      return;
    }
    await client.views.open({ trigger_id: s.trigger_id, view: resolveModalFor(deps, inv) });
  });

  app.action(/^nc_/, async ({ action, body, ack, client }) => {
    await ack();
    const a = action as unknown as { action_id: string; value?: string };
    const b = body as unknown as { trigger_id?: string; user: { id: string }; channel?: { id: string }; message?: { ts: string; thread_ts?: string } };
    let v: { i?: string; c?: string; k?: string | null } = {};
    try {
      v = JSON.parse(a.value ?? '{}');
    } catch {
      return;
    }
    await run(a.action_id, () => onAction(deps, a.action_id, v, { user: b.user.id, channel: b.channel?.id ?? null, thread: b.message?.thread_ts ?? b.message?.ts ?? null, triggerId: b.trigger_id ?? null, client }));
  });

  app.view('nc_resolve_modal', async ({ ack, view, body }) => {
    const values = view.state.values as Record<string, { value?: { value?: string | null } }>;
    const get = (id: string) => values[id]?.value?.value?.trim() ?? '';
    const caseId = get('case');
    const errors: Record<string, string> = {};
    if (get('cause') === '') errors.cause = 'Required';
    if (get('fix') === '') errors.fix = 'Required';
    if (caseId !== '' && !deps.cases.byId.has(caseId)) errors.case = `No case "${cut(caseId, 60)}" in the library (leave it empty if none fits)`;
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    let meta: { i?: string } = {};
    try {
      meta = JSON.parse(view.private_metadata || '{}');
    } catch {
      meta = {};
    }
    try {
      const inv = await resolveInvestigation(deps.inv, meta.i ?? '', { rootCause: get('cause'), fix: get('fix'), commands: get('commands'), ticket: get('ticket'), caseId: caseId || null, actor: body.user.id });
      await ack();
      if (inv.channel !== null && inv.threadTs !== null) {
        const note = `:white_check_mark: ${esc(w.resolvedNote(`<@${body.user.id}>`, cut(get('cause'), 1500)))}${caseId ? ` (${code(caseId)})` : ''}\n${esc(cut(get('fix'), 1500))}`.replace(esc(`<@${body.user.id}>`), `<@${body.user.id}>`);
        await deps.notifier.post(inv.channel, inv.threadTs, { text: esc(w.resolvedNote(body.user.id, cut(get('cause'), 200))), blocks: [section(note)] });
      }
    } catch (error) {
      if (error instanceof InvestigationError) await ack({ response_action: 'errors', errors: { cause: cut(error.message, 150) } });
      else throw error;
    }
  });

  app.error(async (error) => {
    deps.log('error', 'bolt error', { error: error.message });
  });
  return app;
}

async function onAction(deps: BotDeps, id: string, v: { i?: string; c?: string; k?: string | null }, at: { user: string; channel: string | null; thread: string | null; triggerId: string | null; client: BoltApp['client'] }): Promise<void> {
  const w = words(deps.lang);
  if (id === 'nc_share_case') {
    const c = v.k ? deps.cases.byId.get(v.k) : undefined;
    if (c !== undefined && at.channel !== null) await deps.notifier.post(at.channel, null, caseMessage(c, deps.lang));
    return;
  }
  if (!v.i) return;
  const inv = await requireInvestigation(deps.inv, v.i);
  const channel = inv.channel ?? at.channel;
  const thread = inv.threadTs ?? at.thread;
  const say = async (m: SlackMessage) => {
    if (channel !== null) await deps.notifier.post(channel, thread, m);
  };
  switch (id) {
    case 'nc_resolve':
      if (at.triggerId !== null) await at.client.views.open({ trigger_id: at.triggerId, view: resolveModalFor(deps, inv, v.k) });
      return;
    case 'nc_useful':
      if (v.k) await recordFeedback(deps.inv, inv.id, v.k, 'useful', at.user);
      if (channel !== null && v.k) await deps.notifier.ephemeral(channel, at.user, { text: esc(w.usefulThanks(v.k)), blocks: [section(esc(w.usefulThanks(v.k)))] }, thread);
      return;
    case 'nc_wrong': {
      if (!v.k) return;
      await recordFeedback(deps.inv, inv.id, v.k, 'wrong', at.user);
      const d = await showInvestigation(deps.inv, inv.id);
      const next = d.matches.find((m) => m.feedback !== 'wrong' && m.caseId !== v.k);
      const nextText = next ? `${next.caseId}: ${deps.lang === 'zh' ? deps.cases.byId.get(next.caseId)?.titleZh ?? next.title : next.title}` : null;
      await say({ text: esc(w.wrongNext(v.k, nextText)), blocks: [section(esc(w.wrongNext(v.k, nextText)))] });
      // Redraw either way: the wrong case must not stay on screen as the answer.
      if (v.c) await redraw(deps, v.c);
      return;
    }
    case 'nc_take': {
      const updated = await takeOwnership(deps.inv, inv.id, at.user);
      await say({ text: esc(w.owner(updated.owner ?? at.user)), blocks: [section(esc(w.owner('\u0000')).replace('\u0000', `<@${at.user}>`))] });
      return;
    }
    case 'nc_all_findings': {
      const d = await showInvestigation(deps.inv, inv.id);
      const findings = rankFindings(d.findings.filter((f) => !v.c || f.captureId === v.c));
      for (let i = 0; i < Math.max(1, findings.length); i += 45) {
        const chunk = findings.slice(i, i + 45);
        await say({ text: `${findings.length} finding(s)`, blocks: chunk.length > 0 ? chunk.map((f) => findingBlock(f, deps.lang)) : [section(esc(w.noFindings))] });
      }
      return;
    }
    case 'nc_report': {
      const d = await showInvestigation(deps.inv, inv.id);
      if (channel !== null) await deps.notifier.upload(channel, thread, { filename: `${inv.id}.md`, content: markdownReport(d, deps.cases.byId), title: `netcase report ${inv.id}`, altText: `netcase report for investigation ${inv.id}: ${d.findings.length} findings` });
      return;
    }
    case 'nc_again': {
      if (!v.c) return;
      const problem = await analyseAgain(deps, v.c);
      if (problem !== null) await say({ text: esc(problem), blocks: [section(esc(problem))] });
      return;
    }
    default:
      return;
  }
}

/** The resolve form of an investigation, prefilled with its best case (or the one a button names). */
function resolveModalFor(deps: BotDeps, inv: { id: string; title: string; answerCaseId: string | null; ticket: string | null }, caseId?: string | null): never {
  return resolveModal(deps.lang, { investigationId: inv.id, title: inv.title, caseId: caseId ?? inv.answerCaseId, ticket: inv.ticket }) as never;
}

/** Redraws a capture's findings message from the store (after feedback or a re-rank). */
async function redraw(deps: BotDeps, captureId: string, note?: string): Promise<void> {
  const capture = await requireCapture(deps.inv, captureId);
  const inv = await requireInvestigation(deps.inv, capture.investigationId);
  if (inv.channel === null || capture.statusTs === null || capture.status !== 'done') return;
  await deps.notifier.update(inv.channel, capture.statusTs, await resultFromStore(deps, captureId, note));
}

/** A thread reply mentioning the bot adds to the symptom and re-ranks; the findings message says what changed. */
async function addSymptom(deps: BotDeps, channel: string, threadTs: string, text: string, user: string | null): Promise<void> {
  const w = words(deps.lang);
  const inv = await investigationOfThread(deps.inv, channel, threadTs);
  if (inv === null || text === '') return;
  await updateSymptom(deps.inv, inv.id, cut(text, 4000), { append: true, actor: user });
  const r = await rerankCases(deps.inv, inv.id, deps.cases.index);
  const changed = r.before !== r.after;
  const said = changed ? w.reranked(r.before ?? '-', r.after ?? '-') : w.symptomAdded;
  const d = await showInvestigation(deps.inv, inv.id);
  const latest = [...d.captures].reverse().find((c) => c.status === 'done' && c.statusTs !== null);
  if (latest !== undefined && changed) await redraw(deps, latest.id, said);
  await deps.notifier.post(channel, threadTs, { text: esc(said), blocks: [section(esc(said))] });
}

