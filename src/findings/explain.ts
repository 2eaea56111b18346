import type { Finding } from './finding.js';
import { REASON_ROLES } from './reasons.js';
import { REASONS_EN } from './reasons-en.js';

/**
 * Renders a finding's language-neutral reasons as sentences: `because` (the first piece of evidence
 * for its cause, or what it is a symptom of), `ruledOut` and `next`. English for now; the catalog
 * is looked up per language here, never in the checks. The catalogs live beside the finding
 * catalog (titles) because analysis, the store and every renderer need the sentences, and report/
 * sits above analysis.
 */
export function explainFinding(f: Finding): Finding {
  let because: string | null = null;
  let deferred: string | null = null;
  const ruledOut: string[] = [];
  let next: string | null = null;
  for (const r of f.reasons) {
    const text = REASONS_EN[r.id](r.facts);
    const role = REASON_ROLES[r.id];
    if (role === 'because') because ??= text;
    else if (role === 'deferred') deferred ??= text;
    else if (role === 'ruled_out') ruledOut.push(text);
    else next ??= text;
  }
  return { ...f, because: because ?? deferred, ruledOut, next };
}
