import type { Case } from './case.js';
import { tokenize } from './tokenize.js';

/**
 * Ranked full-text search over the case library (titles, aliases, symptoms, commands, body), in
 * both languages. Scoring is BM25-like with field weights, and explainable: each hit says which
 * fields and which query words matched. English query words also match by prefix (3+ letters)
 * and with one typo (5+ letters); scores are squashed into 0..1.
 */
/** Synonym concepts are taken from the short fields; bodies are long and would only add noise (and time). */
const FIELDS = [
  { name: 'title', weight: 3, synonyms: true, text: (c: Case) => `${c.title} ${c.titleZh} ${c.id}` },
  { name: 'aliases', weight: 2.5, synonyms: true, text: (c: Case) => c.aliases.join(' | ') },
  { name: 'symptoms', weight: 2, synonyms: true, text: (c: Case) => c.symptoms.join(' | ') },
  { name: 'commands', weight: 1, synonyms: false, text: (c: Case) => c.commands.map((x) => `${x.command} ${x.purpose}`).join(' | ') },
  { name: 'body', weight: 1, synonyms: false, text: (c: Case) => Object.values(c.sections).join('\n') },
] as const;

/** What a page says it is about, without its body and commands: where a symptom's distinctive words should land. */
const DISTINCTIVE_FIELDS = ['title', 'aliases', 'symptoms'];

const K1 = 1.2;

export interface SearchOptions {
  /** A weight per query token (tokenize's output); 1 when absent. */
  weigh?: (token: string) => number;
}

/** A token's postings, column-wise in typed arrays (a 10,000-page library holds millions). */
interface Postings {
  docs: Int32Array;
  weights: Float32Array;
  fields: Uint8Array;
}

export interface SearchHit {
  case: Case;
  /** 0..1 */
  score: number;
  why: { fields: string[]; words: string[] };
  /** Every query token that matched, synonym concepts included. */
  tokens: string[];
}

/**
 * How much of a text search reads: 4 KB in UTF-8. Tokenizing costs time in proportion to the text
 * (a 1 MB text held the bot's event loop for 1.4 s), and 32 distinct words are used at most anyway.
 * Searches typed by people (`cases search`, `/netcase search`) over this are refused; a longer
 * symptom is matched by its beginning.
 */
export const SEARCH_TEXT_MAX_BYTES = 4096;

/** The first SEARCH_TEXT_MAX_BYTES of a text, cut between characters. */
export function searchableText(text: string): string {
  if (text.length * 3 <= SEARCH_TEXT_MAX_BYTES) return text;
  return text.slice(0, new TextEncoder().encodeInto(text, new Uint8Array(SEARCH_TEXT_MAX_BYTES)).read);
}

/** Why a search text typed by someone is refused (over SEARCH_TEXT_MAX_BYTES), or null. */
export function searchTextProblem(text: string): string | null {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= SEARCH_TEXT_MAX_BYTES) return null;
  return `search text is ${bytes.toLocaleString('en-US')} bytes long; at most ${SEARCH_TEXT_MAX_BYTES.toLocaleString('en-US')} (4 KB) are searched: keep the words that matter`;
}

export class CaseIndex {
  private readonly postings = new Map<string, Postings>();
  private readonly vocabulary: string[];
  private readonly byLength = new Map<number, string[]>();
  private distinctiveIndex: CaseIndex | null = null;
  /** Ids of each page's relatives (`instance_of`, both directions), built once for every match. */
  readonly related = new Map<string, string[]>();
  /** Names only: the index is cloned into analysis workers, and functions cannot be. */
  private readonly fieldNames: readonly string[];

  constructor(
    readonly cases: readonly Case[],
    fieldNames?: readonly string[],
  ) {
    this.fieldNames = fieldNames ?? FIELDS.map((f) => f.name);
    const ids = new Set(cases.map((c) => c.id));
    for (const c of cases) {
      if (c.instanceOf === null || !ids.has(c.instanceOf)) continue;
      this.related.set(c.id, [...(this.related.get(c.id) ?? []), c.instanceOf]);
      this.related.set(c.instanceOf, [...(this.related.get(c.instanceOf) ?? []), c.id]);
    }
    const building = new Map<string, { docs: number[]; weights: number[]; fields: number[] }>();
    cases.forEach((c, doc) => {
      const weights = new Map<string, { weight: number; fields: number }>();
      this.fields.forEach((field, f) => {
        for (const token of tokenize(field.text(c), field.synonyms)) {
          const w = weights.get(token) ?? { weight: 0, fields: 0 };
          w.weight += field.weight;
          w.fields |= 1 << f;
          weights.set(token, w);
        }
      });
      for (const [token, w] of weights) {
        let list = building.get(token);
        if (list === undefined) {
          list = { docs: [], weights: [], fields: [] };
          building.set(token, list);
        }
        list.docs.push(doc);
        list.weights.push(w.weight);
        list.fields.push(w.fields);
      }
    });
    for (const [token, b] of building) this.postings.set(token, { docs: Int32Array.from(b.docs), weights: Float32Array.from(b.weights), fields: Uint8Array.from(b.fields) });
    this.vocabulary = [...this.postings.keys()].filter((t) => /^[a-z]/.test(t)).sort();
    for (const t of this.vocabulary) {
      const list = this.byLength.get(t.length);
      if (list === undefined) this.byLength.set(t.length, [t]);
      else list.push(t);
    }
  }

  private get fields(): readonly (typeof FIELDS)[number][] {
    return FIELDS.filter((f) => this.fieldNames.includes(f.name));
  }

  /** The same pages indexed by title, aliases and symptoms only (symptom matching), built once. */
  get distinctive(): CaseIndex {
    this.distinctiveIndex ??= new CaseIndex(this.cases, DISTINCTIVE_FIELDS);
    return this.distinctiveIndex;
  }

  /** Ranks pages for `text`; only its first SEARCH_TEXT_MAX_BYTES are read (a symptom may be longer). */
  search(text: string, limit = 10, options: SearchOptions = {}): SearchHit[] {
    const words = [...new Set(tokenize(searchableText(text)))].slice(0, 32);
    const n = this.cases.length;
    // Per-document accumulators, sized once per query: arrays beat maps on a 10,000-page library.
    const score = new Float64Array(n);
    const fields = new Uint8Array(n);
    const matched = new Uint32Array(n);
    const touched: number[] = [];
    words.forEach((word, w) => {
      const expansions = this.expand(word);
      const wordWeight = options.weigh?.(word) ?? 1;
      // A word counts once per page: the best of its exact form, prefix completions and typo neighbours.
      const best = expansions.length > 1 ? new Map<number, number>() : null;
      for (const [token, factor] of expansions) {
        const list = this.postings.get(token) as Postings;
        const count = list.docs.length;
        const idf = Math.log(1 + (n - count + 0.5) / (count + 0.5));
        for (let i = 0; i < count; i++) {
          const doc = list.docs[i];
          const weight = list.weights[i];
          let value = wordWeight * factor * idf * ((weight * (K1 + 1)) / (weight + K1));
          if (best !== null) {
            const previous = best.get(doc) ?? 0;
            if (value <= previous) {
              fields[doc] |= list.fields[i];
              continue;
            }
            best.set(doc, value);
            value -= previous;
          }
          if (score[doc] === 0) touched.push(doc);
          score[doc] += value;
          fields[doc] |= list.fields[i];
          matched[doc] |= 1 << w;
        }
      }
    });
    // Words weighed down count less toward the length that squashes the score.
    const length = options.weigh === undefined ? words.length : words.reduce((n, w) => n + (options.weigh as (t: string) => number)(w), 0);
    const squash = 4 * Math.max(1, length / 2);
    touched.sort((a, b) => score[b] - score[a] || this.cases[a].id.localeCompare(this.cases[b].id));
    return touched.slice(0, limit).map((doc) => ({
      case: this.cases[doc],
      score: Math.round((score[doc] / (score[doc] + squash)) * 1000) / 1000,
      why: { fields: this.fields.filter((_, f) => fields[doc] & (1 << f)).map((f) => f.name), words: words.filter((word, w) => matched[doc] & (1 << w) && !word.startsWith('syn:')) },
      tokens: words.filter((_, w) => matched[doc] & (1 << w)),
    }));
  }

  /** A query word, its prefix completions (3+ letters) and one-typo neighbours (5+ letters). */
  private expand(word: string): [string, number][] {
    const out: [string, number][] = [];
    if (this.postings.has(word)) out.push([word, 1]);
    // Known words stand for themselves; completions and typo neighbours are for words the library lacks.
    if (out.length > 0 || !/^[a-z][a-z0-9]+$/.test(word) || word.length < 3) return out;
    let lo = lowerBound(this.vocabulary, word);
    for (let taken = 0; lo < this.vocabulary.length && this.vocabulary[lo].startsWith(word) && taken < 8; lo++) {
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
