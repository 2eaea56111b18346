import type { Case } from './case.js';
import { tokenize } from './tokenize.js';

/**
 * Ranked full-text search over the case library (titles, aliases, symptoms, commands, body), in
 * both languages. Scoring is BM25-like with field weights, and explainable: each hit says which
 * fields and which query words matched. English query words also match by prefix (3+ letters)
 * and with one typo (5+ letters); scores are squashed into 0..1.
 */
const FIELDS = [
  { name: 'title', weight: 3, text: (c: Case) => `${c.title} ${c.titleZh} ${c.id}` },
  { name: 'aliases', weight: 2.5, text: (c: Case) => c.aliases.join(' | ') },
  { name: 'symptoms', weight: 2, text: (c: Case) => c.symptoms.join(' | ') },
  { name: 'commands', weight: 1, text: (c: Case) => c.commands.map((x) => `${x.command} ${x.purpose}`).join(' | ') },
  { name: 'body', weight: 1, text: (c: Case) => Object.values(c.sections).join('\n') },
] as const;

const K1 = 1.2;

interface Posting {
  doc: number;
  weight: number;
  fields: number;
}

export interface SearchHit {
  case: Case;
  /** 0..1 */
  score: number;
  why: { fields: string[]; words: string[] };
}

export class CaseIndex {
  private readonly postings = new Map<string, Posting[]>();
  private readonly vocabulary: string[];
  private readonly byLength = new Map<number, string[]>();

  constructor(readonly cases: readonly Case[]) {
    cases.forEach((c, doc) => {
      const weights = new Map<string, { weight: number; fields: number }>();
      FIELDS.forEach((field, f) => {
        for (const token of tokenize(field.text(c))) {
          const w = weights.get(token) ?? { weight: 0, fields: 0 };
          w.weight += field.weight;
          w.fields |= 1 << f;
          weights.set(token, w);
        }
      });
      for (const [token, w] of weights) {
        const list = this.postings.get(token);
        const posting = { doc, weight: w.weight, fields: w.fields };
        if (list === undefined) this.postings.set(token, [posting]);
        else list.push(posting);
      }
    });
    this.vocabulary = [...this.postings.keys()].filter((t) => /^[a-z]/.test(t)).sort();
    for (const t of this.vocabulary) {
      const list = this.byLength.get(t.length);
      if (list === undefined) this.byLength.set(t.length, [t]);
      else list.push(t);
    }
  }

  search(text: string, limit = 10): SearchHit[] {
    const words = [...new Set(tokenize(text))];
    const scores = new Map<number, { score: number; fields: number; words: Set<string> }>();
    const n = this.cases.length;
    for (const word of words) {
      // A word counts once per page: the best of its exact form, prefix completions and typo neighbours.
      const best = new Map<number, { score: number; fields: number }>();
      for (const [token, factor] of this.expand(word)) {
        const list = this.postings.get(token);
        if (list === undefined) continue;
        const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
        for (const p of list) {
          const value = factor * idf * ((p.weight * (K1 + 1)) / (p.weight + K1));
          const b = best.get(p.doc);
          if (b === undefined || value > b.score) best.set(p.doc, { score: value, fields: (b?.fields ?? 0) | p.fields });
          else b.fields |= p.fields;
        }
      }
      for (const [doc, b] of best) {
        const s = scores.get(doc) ?? { score: 0, fields: 0, words: new Set<string>() };
        s.score += b.score;
        s.fields |= b.fields;
        if (!word.startsWith('syn:')) s.words.add(word);
        scores.set(doc, s);
      }
    }
    const meaningful = words.filter((w) => !w.startsWith('syn:')).length + words.filter((w) => w.startsWith('syn:')).length;
    return [...scores]
      .map(([doc, s]) => ({
        case: this.cases[doc],
        score: Math.round((s.score / (s.score + 4 * Math.max(1, meaningful / 2))) * 1000) / 1000,
        why: { fields: FIELDS.filter((_, f) => s.fields & (1 << f)).map((f) => f.name), words: [...s.words] },
      }))
      .sort((a, b) => b.score - a.score || a.case.id.localeCompare(b.case.id))
      .slice(0, limit);
  }

  /** A query word, its prefix completions (3+ letters) and one-typo neighbours (5+ letters). */
  private expand(word: string): [string, number][] {
    const out: [string, number][] = [];
    if (this.postings.has(word)) out.push([word, 1]);
    if (!/^[a-z][a-z0-9]+$/.test(word) || word.length < 3) return out;
    let lo = lowerBound(this.vocabulary, word);
    for (let taken = 0; lo < this.vocabulary.length && this.vocabulary[lo].startsWith(word) && taken < 20; lo++) {
      if (this.vocabulary[lo] !== word) {
        out.push([this.vocabulary[lo], 0.7]);
        taken++;
      }
    }
    if (out.length === 0 && word.length >= 5) {
      for (const len of [word.length - 1, word.length, word.length + 1]) {
        for (const candidate of this.byLength.get(len) ?? []) if (withinOneEdit(word, candidate)) out.push([candidate, 0.6]);
      }
    }
    return out;
  }
}

function lowerBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Levenshtein distance <= 1, without building a matrix. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}
