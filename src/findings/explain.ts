import type { Finding } from './finding.js';
import type { Lang } from './finding-text.js';
import { REASON_ROLES, type Reason } from './reasons.js';
import { REASONS_EN } from './reasons-en.js';
import { REASONS_ZH } from './reasons-zh.js';

export interface Explanation {
  because: string | null;
  ruledOut: string[];
  next: string | null;
}

/**
 * Renders language-neutral reasons as sentences: `because` (the first piece of evidence for the
 * cause, or what the finding is a symptom of), `ruledOut` and `next`. The catalogs are looked up
 * per language here, never in the checks. They live beside the finding catalog (titles) because
 * analysis, the store and every renderer need the sentences, and report/ sits above analysis.
 * Null when a reason id is not known to this build (a row stored by a later version).
 */
export function explainReasons(reasons: readonly Reason[], lang: Lang): Explanation | null {
  const table: Record<string, (facts: Reason['facts']) => string> = lang === 'zh' ? REASONS_ZH : REASONS_EN;
  let because: string | null = null;
  let deferred: string | null = null;
  const ruledOut: string[] = [];
  let next: string | null = null;
  for (const r of reasons) {
    if (!Object.hasOwn(REASON_ROLES, r.id)) return null;
    const text = table[r.id](r.facts);
    const role = REASON_ROLES[r.id];
    if (role === 'because') because ??= text;
    else if (role === 'deferred') deferred ??= text;
    else if (role === 'ruled_out') ruledOut.push(text);
    else next ??= text;
  }
  return { because: because ?? deferred, ruledOut, next };
}

/** The finding with its reasons in English, as analysis returns it and the store keeps it. */
export function explainFinding(f: Finding): Finding {
  return { ...f, ...(explainReasons(f.reasons, 'en') ?? { because: null, ruledOut: [], next: null }) };
}
