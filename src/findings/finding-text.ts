import { CATALOG, type FindingCode } from './catalog.js';
import { explainReasons } from './explain.js';
import type { Finding } from './finding.js';
import type { Message, SummaryCatalog } from './messages.js';
import { SUMMARIES_EN } from './summaries-en.js';
import { SUMMARIES_ZH } from './summaries-zh.js';
import { TITLES_ZH } from './titles-zh.js';

/** The languages finding texts are written in (the bot's NETCASE_LANG, the CLI's --lang). */
export type Lang = 'en' | 'zh';

/** A finding code's title in a language; a code this build does not know (an old stored row) is shown as it is. */
export function findingTitle(code: FindingCode | string, lang: Lang): string {
  if (!Object.hasOwn(CATALOG, code)) return code;
  const known = code as FindingCode;
  return lang === 'zh' ? TITLES_ZH[known] : CATALOG[known].title;
}

/** A summary message's sentence in a language. */
export function renderMessage(m: Message, lang: Lang): string {
  const catalog: SummaryCatalog = lang === 'zh' ? SUMMARIES_ZH : SUMMARIES_EN;
  return (catalog[m.id] as (facts: Message['facts']) => string)(m.facts);
}

/** A message as read back from the store: one this build can render, or null (none stored, or an id it does not know). */
export function messageOf(value: unknown): Message | null {
  if (value === null || typeof value !== 'object') return null;
  const { id, facts } = value as { id?: unknown; facts?: unknown };
  if (typeof id !== 'string' || !Object.hasOwn(SUMMARIES_EN, id) || facts === null || typeof facts !== 'object') return null;
  return { id, facts } as Message;
}

/** What a person reads about a finding, in one language. */
export interface FindingText {
  title: string;
  summary: string;
  because: string | null;
  ruledOut: string[];
  next: string | null;
}

/** The parts of a finding (fresh from analysis, or as stored) its text is rendered from. */
export type FindingTextSource = Pick<Finding, 'code' | 'title' | 'summary' | 'reasons' | 'because' | 'ruledOut' | 'next'> & { message?: Message | null };

/**
 * A finding's words in a language, rendered from its language-neutral data (code, reasons). English
 * is the finding's own stored text, exactly as analysis wrote it. Where the data cannot be rendered
 * in the language (a finding stored before messages, a reason or message this build does not know),
 * the stored English stands in.
 */
export function findingText(f: FindingTextSource, lang: Lang): FindingText {
  const stored: FindingText = { title: f.title, summary: f.summary, because: f.because, ruledOut: f.ruledOut, next: f.next };
  if (lang === 'en') return stored;
  const explained = explainReasons(f.reasons, lang);
  const reasons = explained === null || (f.reasons.length === 0 && f.because !== null) ? { because: f.because, ruledOut: f.ruledOut, next: f.next } : explained;
  return { title: findingTitle(f.code, lang), summary: summaryIn(f, lang), ...reasons };
}

function summaryIn(f: FindingTextSource, lang: Lang): string {
  const m = messageOf(f.message ?? null);
  if (m === null) return f.summary;
  try {
    return renderMessage(m, lang);
  } catch {
    // Facts of another shape than this build's (a row stored by another version): the stored English.
    return f.summary;
  }
}
