import { CATALOG, type FindingCode } from './catalog.js';
import { explainReasons } from './explain.js';
import type { Finding } from './finding.js';
import { TITLES_ZH } from './titles-zh.js';

/** The languages finding texts are written in (the bot's NETCASE_LANG, the CLI's --lang). */
export type Lang = 'en' | 'zh';

/** A finding code's title in a language; a code this build does not know (an old stored row) is shown as it is. */
export function findingTitle(code: FindingCode | string, lang: Lang): string {
  if (!Object.hasOwn(CATALOG, code)) return code;
  const known = code as FindingCode;
  return lang === 'zh' ? TITLES_ZH[known] : CATALOG[known].title;
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
export type FindingTextSource = Pick<Finding, 'code' | 'title' | 'summary' | 'reasons' | 'because' | 'ruledOut' | 'next'>;

/**
 * A finding's words in a language, rendered from its language-neutral data (code, reasons). English
 * is the finding's own stored text, exactly as analysis wrote it. Where the data cannot be rendered
 * in the language (a reason id this build does not know), the stored English stands in.
 */
export function findingText(f: FindingTextSource, lang: Lang): FindingText {
  const stored: FindingText = { title: f.title, summary: f.summary, because: f.because, ruledOut: f.ruledOut, next: f.next };
  if (lang === 'en') return stored;
  const explained = explainReasons(f.reasons, lang);
  const reasons = explained === null || (f.reasons.length === 0 && f.because !== null) ? { because: f.because, ruledOut: f.ruledOut, next: f.next } : explained;
  return { title: findingTitle(f.code, lang), summary: f.summary, ...reasons };
}
