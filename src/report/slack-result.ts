import { scopeLine } from './place-words.js';
import { becauseSentence, noAnswerSentence } from '../cases/because.js';
import type { CaseMatch, FindingFacts, NoAnswer } from '../cases/match-cases.js';
import { cardWords } from './card-words.js';
import { SEVERITY_RANK } from '../findings/catalog.js';
import { commandsForCapture } from '../commands/commands-for-capture.js';
import type { Severity } from '../findings/catalog.js';
import type { Finding } from '../findings/finding.js';
import { actions, button, context, divider, fitBlocks, section, type Block, type SlackMessage } from './slack-blocks.js';
import { bold, code, codeBlock, cut, esc } from './mrkdwn.js';
import { words, type Lang } from './words.js';

export const SEVERITY_ICON: Record<Severity, string> = { critical: ':red_circle:', high: ':large_orange_circle:', medium: ':large_yellow_circle:', low: ':white_circle:', info: ':information_source:' };

export interface ResultInput {
  lang: Lang;
  investigationId: string;
  captureId: string;
  captureName: string;
  packets: number;
  durationS: number;
  hosts: string[];
  vantage: string | null;
  /** Ranked, most severe first. */
  findings: Finding[];
  matches: CaseMatch[];
  answer: string | null;
  /** The case title in the bot's language. */
  caseTitle: (id: string, fallback: string) => string;
  /** Said above the findings, e.g. after a re-rank. */
  note?: string;
  /** Per finding (same order), the facts case conditions test: they fill the commands' slots too. */
  findingFacts?: FindingFacts[];
  /** Why the ranking has no answer (its English line is replaced by the renderer's language). */
  noAnswer?: Pick<NoAnswer, 'reason' | 'closest' | 'other' | 'code'> | null;
}

const SHOWN_FINDINGS = 8;
const SHOWN_CASES = 3;

/** The final message of an analysis: what was captured, findings, cases, commands and buttons. */
export function resultMessage(r: ResultInput): SlackMessage & { overflow: boolean } {
  const w = words(r.lang);
  const required: Block[] = [conclusion(r)];
  if (r.note) required.push(section(`:arrows_counterclockwise: ${esc(r.note)}`));
  const hosts = r.hosts.length > 0 ? `: ${r.hosts.slice(0, 5).map(code).join(' ')}${r.hosts.length > 5 ? ' …' : ''}` : '';
  const numbers = esc(w.packetsOver(r.packets.toLocaleString('en'), r.durationS.toFixed(1), r.hosts.length));
  required.push(section(`${bold(esc(w.captured))} ${code(r.captureName)}: ${numbers}${hosts}${r.vantage ? `\n_${esc(cut(r.vantage, 300))}_` : ''}`));
  const optional: Block[] = [];
  if (r.findings.length === 0) required.push(section(`:white_check_mark: ${esc(w.noFindings)}`));
  else {
    required.push(section(`${bold(esc(w.findings))} (${r.findings.length})`));
    for (const f of r.findings.slice(0, SHOWN_FINDINGS)) optional.push(findingBlock(f, r.lang));
    if (r.findings.length > SHOWN_FINDINGS) optional.push(context(esc(w.moreFindings(r.findings.length - SHOWN_FINDINGS))));
  }
  optional.push(divider);
  const shown = r.matches.slice(0, SHOWN_CASES);
  if (shown.length === 0) optional.push(section(esc(w.noCases)));
  else {
    optional.push(section(`${bold(esc(w.cases))}\n${shown.map((m, i) => caseLine(m, i, r)).join('\n')}`));
    const best = r.answer !== null ? r.matches.find((m) => m.id === r.answer) : undefined;
    if (best !== undefined) optional.push(...commandBlocks(best, r));
  }
  const value = { i: r.investigationId, c: r.captureId, k: r.answer ?? shown[0]?.id ?? null };
  const b = w.buttons;
  // At most 5 elements per actions row: the decisions, then the views.
  const tail: Block[] = [
    actions('netcase_result', [
      button(b.resolve, 'nc_resolve', value, 'primary'),
      ...(value.k ? [button(b.useful, 'nc_useful', value), button(b.wrong, 'nc_wrong', value)] : []),
      button(b.take, 'nc_take', value),
    ]),
    actions('netcase_views', [button(b.all, 'nc_all_findings', value), button(b.report, 'nc_report', value), button(b.again, 'nc_again', value)]),
    context(`${esc(w.investigation)} ${code(r.investigationId)}`),
  ];
  const fitted = fitBlocks(required, optional, tail);
  if (fitted.overflow) fitted.blocks.splice(fitted.blocks.length - 3, 0, context(esc(w.moreInReport)));
  const top = r.findings[0];
  const text = `${r.captureName}: ${r.findings.length} finding(s)${top ? `, top: ${top.title}` : ''}${r.answer ? `; case ${r.answer}` : ''}`;
  return { text: esc(cut(text, 300)), blocks: fitted.blocks, overflow: fitted.overflow };
}

/**
 * The card's first block: "Likely cause:" with the answer's page title, its confidence and the
 * because-sentence; without an answer, the top problem and why no page fits; without a problem,
 * "No network problem found" and what to capture next.
 */
function conclusion(r: ResultInput): Block {
  const c = cardWords(r.lang);
  const answer = r.answer === null ? undefined : r.matches.find((m) => m.id === r.answer);
  if (answer !== undefined) {
    const because = answer.because === '' ? '' : `\n${esc(cut(becauseSentence(answer.evidence, r.lang), 500))}`;
    return section(`${bold(`${esc(c.likelyCause)} ${esc(r.caseTitle(answer.id, answer.title))}`)} _(${esc(c.confidence[answer.confidence] ?? answer.confidence)})_${because}\n${c.caseRef(esc(answer.id))}`);
  }
  const top = r.findings.find((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.medium);
  if (top === undefined) return section(`:white_check_mark: ${bold(esc(c.noProblem))}\n${esc(c.nextCapture)}`);
  const why = r.noAnswer ? `\n${esc(c.noAnswer)} ${esc(noAnswerSentence(r.noAnswer, r.lang))}` : '';
  return section(`${bold(`${esc(c.likelyCause)} ${esc(top.title)}`)} _(${esc(c.confidence.possible)})_${why}`);
}

export function findingBlock(f: Finding, lang: Lang): Block {
  const w = words(lang);
  const frames = f.frames.length > 0 ? ` · ${esc(w.frames)} ${f.frames.slice(0, 10).join(', ')}${f.frameCount > 10 ? ` (+${f.frameCount - 10})` : ''}` : '';
  // A symptom that defers to a cause says so (the cause's own summary already gives its evidence).
  const because = f.reasons[0]?.id === 'symptom.explained_by' && f.because !== null ? `\n↳ ${esc(cut(f.because, 300))}` : '';
  const scope = scopeLine(f, lang);
  return section(`${SEVERITY_ICON[f.severity]} ${bold(esc(f.title))} ${code(f.code)}${frames}\n${scope === null ? '' : `${esc(scope)}\n`}${esc(cut(f.summary, 600))}${because}`);
}

function caseLine(m: CaseMatch, i: number, r: ResultInput): string {
  const w = words(r.lang);
  const why = [...m.why.codes.map((c) => code(c)), ...m.why.words.slice(0, 5).map((x) => esc(x))].join(', ');
  const mark = m.id === r.answer ? ` :white_check_mark: ${esc(w.answer)}` : m.strength === 'weak' ? ` _(${esc(w.weak)})_` : '';
  return `${i + 1}. ${code(m.id)} ${esc(r.caseTitle(m.id, m.title))} (${esc(cardWords(r.lang).confidence[m.confidence] ?? m.confidence)})${mark}${why ? `\n      ${esc(w.why)}: ${why}` : ''}`;
}

/**
 * The answer's commands filled from this capture (a slot it cannot fill shows as <SLOT>), the
 * platform the capture points to first, read-only checks before changes, grouped by platform.
 */
function commandBlocks(m: CaseMatch, r: ResultInput): Block[] {
  const w = words(r.lang);
  const filled = commandsForCapture(m.commands, { findings: r.findings, findingFacts: r.findingFacts, cases: r.matches, answer: r.answer });
  const byPlatform = new Map<string, typeof filled.primary>();
  for (const c of [...filled.primary, ...filled.other]) byPlatform.set(c.platform, [...(byPlatform.get(c.platform) ?? []), c]);
  const blocks: Block[] = [];
  for (const [platform, list] of byPlatform) {
    const lines = list.slice(0, 6).map((c) => `${esc(cut(c.purpose, 200))}${c.effect === 'check' ? '' : ` _(${esc(cut(c.risk, 150))})_`}${c.reboot ? ' _(reboot)_' : ''}\n${codeBlock(c.text)}`);
    blocks.push(section(`${bold(`${esc(w.commands)}: ${esc(platform)}`)}\n${lines.join('\n')}`));
  }
  return blocks;
}

/** Progress while a capture is analysed: a bar, updated at most every 2 seconds. */
export function progressMessage(lang: Lang, name: string, fraction: number | null, stage: 'downloading' | 'analysing' | 'queued'): SlackMessage {
  const w = words(lang);
  const label = stage === 'downloading' ? w.downloading : stage === 'queued' ? w.queued : w.analysing;
  const bar = fraction === null ? '' : ` \`${'█'.repeat(Math.round(fraction * 20)).padEnd(20, '░')}\` ${Math.round(fraction * 100)}%`;
  const text = `${code(name)}: ${esc(label)}${bar}`;
  return { text: esc(`${name}: ${label}`), blocks: [section(`:hourglass_flowing_sand: ${text}`)] };
}

/** A one-line status (an error, a refusal) in the thread's status message. */
export function statusMessage(icon: string, mrkdwn: string, extra: Block[] = []): SlackMessage {
  return { text: mrkdwn.replace(/[*_`]/g, '').slice(0, 300), blocks: [section(`${icon} ${mrkdwn}`), ...extra] };
}
