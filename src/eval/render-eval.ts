import type { Score } from './score.js';

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${Math.round((100 * n) / d)}%`);

/** The evaluation as Markdown: per check, per set, per case page, then every miss and false alarm. */
export function renderEval(s: Score, lost: { file: string; expectation: string }[] = []): string {
  const out: string[] = [];
  out.push('| check | TP | FN | FP | precision | recall |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  let tp = 0, fn = 0, fp = 0;
  for (const c of s.checks) {
    out.push(`| \`${c.code}\` | ${c.tp} | ${c.fn} | ${c.fp} | ${pct(c.tp, c.tp + c.fp)} | ${pct(c.tp, c.tp + c.fn)} |`);
    tp += c.tp; fn += c.fn; fp += c.fp;
  }
  out.push(`| **all** | ${tp} | ${fn} | ${fp} | ${pct(tp, tp + fp)} | ${pct(tp, tp + fn)} |`, '');
  out.push('| set | captures | expectations held | healthy captures quiet |', '| --- | ---: | ---: | ---: |');
  for (const t of s.sets) out.push(`| ${t.set} | ${t.files} | ${t.held}/${t.expectations} | ${t.quietHeld}/${t.quietFiles} |`);
  out.push('');
  if (s.pages.length > 0) {
    const sym = new Map(s.pagesWithSymptom.map((p) => [p.page, p]));
    const both = s.pagesWithSymptom.length > 0;
    out.push(`| case page | right answer | no answer | wrong answer |${both ? ' with a symptom (en + zh): right | none | wrong |' : ''}`, `| --- | ---: | ---: | ---: |${both ? ' ---: | ---: | ---: |' : ''}`);
    const t = [0, 0, 0, 0, 0, 0];
    for (const p of s.pages) {
      const q = sym.get(p.page) ?? { right: 0, none: 0, wrong: 0 };
      out.push(`| ${p.page} | ${p.right} | ${p.none} | ${p.wrong} |${both ? ` ${q.right} | ${q.none} | ${q.wrong} |` : ''}`);
      [p.right, p.none, p.wrong, q.right, q.none, q.wrong].forEach((x, i) => (t[i] += x));
    }
    out.push(`| **all** | ${t[0]} | ${t[1]} | ${t[2]} |${both ? ` ${t[3]} | ${t[4]} | ${t[5]} |` : ''}`, '');
  }
  out.push(`Healthy captures given a case-library answer anyway: ${s.healthyAnswered.length}`);
  for (const h of s.healthyAnswered) out.push(`- ${h.file}: ${h.answer}`);
  if (s.pagesWithSymptom.length > 0) {
    out.push('', `Healthy captures given an answer once a vague symptom was typed: ${s.healthyAnsweredWithSymptom.length}`);
    for (const h of s.healthyAnsweredWithSymptom) out.push(`- ${h.file} (${h.lang}): ${h.answer}`);
    out.push('', `Wrong answers with a symptom: ${s.wrongWithSymptom.length}`);
    for (const w of s.wrongWithSymptom) out.push(`- ${w.file} (${w.lang}, "${w.symptom}"): ${w.answer}, not ${w.page}`);
  }
  out.push('', `Misses (${s.misses.length}): expected at medium or above, not raised`);
  for (const m of s.misses) out.push(`- ${m.file}: ${m.code} (raised: ${m.raised.join(', ') || 'nothing at medium or above'})`);
  out.push('', `False alarms (${s.falseAlarms.length}): raised at medium or above, not expected`);
  for (const f of s.falseAlarms) out.push(`- ${f.file}: ${f.code} ${f.severity}${f.quiet ? ' (healthy capture)' : ''}`);
  if (s.errors.length > 0) {
    out.push('', `Unreadable (${s.errors.length})`);
    for (const e of s.errors) out.push(`- ${e.file}: ${e.error}`);
  }
  if (lost.length > 0) {
    out.push('', `REGRESSIONS (${lost.length}): held in the baseline, not now`);
    for (const l of lost) out.push(`- ${l.file}: ${l.expectation}`);
  }
  return out.join('\n') + '\n';
}
