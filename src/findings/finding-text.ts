import { CATALOG, type FindingCode } from './catalog.js';
import { TITLES_ZH } from './titles-zh.js';

/** The languages finding texts are written in (the bot's NETCASE_LANG, the CLI's --lang). */
export type Lang = 'en' | 'zh';

/** A finding code's title in a language; a code this build does not know (an old stored row) is shown as it is. */
export function findingTitle(code: FindingCode | string, lang: Lang): string {
  if (!Object.hasOwn(CATALOG, code)) return code;
  const known = code as FindingCode;
  return lang === 'zh' ? TITLES_ZH[known] : CATALOG[known].title;
}
