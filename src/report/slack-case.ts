import { fillCommand } from '../commands/fill-command.js';
import type { Case } from '../cases/case.js';
import type { SearchHit } from '../cases/search-cases.js';
import type { InvestigationItem, ResolvedHit } from '../investigations/queries.js';
import { bold, code, codeBlock, cut, esc } from './mrkdwn.js';
import { button, context, divider, fitBlocks, header, section, type Block, type SlackMessage } from './slack-blocks.js';
import { owner, threadLink } from './slack-digest.js';
import { words, type Lang } from './words.js';

export function caseTitle(c: Case, lang: Lang): string {
  return lang === 'zh' ? c.titleZh || c.title : c.title;
}

/** `/netcase case ID`: the whole page with its commands (what does not fit is cut, with the id to look it up). */
export function caseMessage(c: Case, lang: Lang): SlackMessage {
  const required: Block[] = [header(cut(caseTitle(c, lang), 150)), context(`${code(c.id)} · ${esc(c.platforms.join(', '))}${c.ticket ? ` · ticket ${code(c.ticket)}` : ''}`)];
  const optional: Block[] = [];
  for (const [heading, text] of Object.entries(c.sections)) optional.push(section(`${bold(esc(heading))}\n${esc(cut(text, 2800))}`));
  if (c.commands.length > 0) optional.push(divider);
  for (const cmd of c.commands) optional.push(section(`${bold(esc(`${cmd.platform}, ${cmd.shell}`))}${cmd.reboot ? ' _(reboot)_' : ''}: ${esc(cut(cmd.purpose, 300))}\n${codeBlock(fillCommand(cmd, {}).text)}\n_risk: ${esc(cut(cmd.risk, 300))}_`));
  const fitted = fitBlocks(required, optional, []);
  if (fitted.overflow) fitted.blocks.push(context(`${esc('More: netcase cases show')} ${code(c.id)}`));
  return { text: esc(`${c.id}: ${caseTitle(c, lang)}`), blocks: fitted.blocks };
}

/** `/netcase search TEXT`: ranked pages (each with a button to share it in the channel) and resolved investigations. */
export function searchMessage(query: string, hits: SearchHit[], resolved: ResolvedHit[], lang: Lang, workspaceUrl: string | null, threads: Map<string, { channel: string | null; threadTs: string | null }>): SlackMessage {
  const blocks: Block[] = [section(`:mag: ${code(cut(query, 200))}`)];
  if (hits.length === 0 && resolved.length === 0) blocks.push(section(esc(lang === 'zh' ? '没有匹配的案例。' : 'No matching case.')));
  for (const h of hits) {
    blocks.push({
      ...section(`${code(h.case.id)} ${bold(esc(caseTitle(h.case, lang)))} (${h.score.toFixed(2)})\n${esc(cut(h.case.sections.Summary.split('\n')[0] ?? '', 280))}`),
      accessory: button(lang === 'zh' ? '分享到频道' : 'Share in channel', 'nc_share_case', { k: h.case.id }),
    });
  }
  if (resolved.length > 0) {
    blocks.push(divider, section(bold(esc(lang === 'zh' ? '已解决的调查' : 'Resolved investigations'))));
    for (const r of resolved) {
      const t = threads.get(r.id);
      blocks.push(section(`${threadLink(workspaceUrl, t?.channel ?? null, t?.threadTs ?? null, r.id)} ${esc(cut(r.title, 120))}${r.caseId ? ` (${code(r.caseId)})` : ''}\n${esc(cut(r.rootCause, 300))}`));
    }
  }
  return { text: esc(`search: ${cut(query, 100)}`), blocks: blocks.slice(0, 50) };
}

/** `/netcase open [all]` and App Home: a list of open investigations. */
export function openListBlocks(items: InvestigationItem[], lang: Lang, workspaceUrl: string | null): Block[] {
  const w = words(lang);
  if (items.length === 0) return [section(esc(w.digestEmpty))];
  return items.slice(0, 40).map((i) =>
    section(`${threadLink(workspaceUrl, i.channel, i.threadTs, i.id)} ${esc(cut(i.title, 120))}${i.stale ? ` :warning: ${esc(w.stale)}` : ''}\n${esc(w.age(i.ageDays))}${i.topFinding ? ` · ${code(i.topFinding.code)}` : ''}${i.bestCase ? ` · case ${code(i.bestCase.id)}` : ''} · ${owner(i.owner, w.nobody)}`),
  );
}

export function helpMessage(lang: Lang): SlackMessage {
  return { text: 'netcase help', blocks: [section(words(lang).help)] };
}

/** The Resolve modal: root cause, fix, commands, ticket, and the case (prefilled with the best match). */
export function resolveModal(lang: Lang, meta: { investigationId: string; title: string; caseId: string | null; ticket: string | null }): Record<string, unknown> {
  const zh = lang === 'zh';
  const input = (id: string, label: string, opts: { multiline?: boolean; optional?: boolean; initial?: string | null; max?: number } = {}) => ({
    type: 'input',
    block_id: id,
    optional: opts.optional ?? false,
    label: { type: 'plain_text', text: label },
    element: { type: 'plain_text_input', action_id: 'value', multiline: opts.multiline ?? false, max_length: opts.max ?? 3000, ...(opts.initial ? { initial_value: opts.initial } : {}) },
  });
  return {
    type: 'modal',
    callback_id: 'nc_resolve_modal',
    private_metadata: JSON.stringify({ i: meta.investigationId }),
    title: { type: 'plain_text', text: zh ? '解决调查' : 'Resolve investigation' },
    submit: { type: 'plain_text', text: zh ? '解决' : 'Resolve' },
    close: { type: 'plain_text', text: zh ? '取消' : 'Cancel' },
    blocks: [
      section(`${code(meta.investigationId)} ${esc(cut(meta.title, 200))}`),
      input('cause', zh ? '根本原因' : 'Root cause', { multiline: true }),
      input('fix', zh ? '解决办法' : 'Fix', { multiline: true }),
      input('commands', zh ? '使用的命令' : 'Commands used', { multiline: true, optional: true }),
      input('ticket', zh ? '工单号' : 'Ticket number', { optional: true, initial: meta.ticket, max: 100 }),
      input('case', zh ? '对应案例 ID' : 'Which case it was (case id)', { optional: true, initial: meta.caseId, max: 100 }),
    ],
  };
}

