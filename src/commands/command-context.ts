import type { SlotSource, SourceFlow, SourceHttp, SourceName, SourceTls } from './slot-source.js';
import { hostOf } from './slot-source.js';

/**
 * What the commands need of a capture beyond its findings, small enough to store beside it (the
 * capture row's summary, key `commandContext`), so the Slack card drawn from the store fills the
 * same slots and guesses the same platform as the CLI does from the whole analysis: the name
 * lookups (suffixes tried, names asked, NetBIOS and LLMNR askers), the TLS server names and HTTP
 * Host, path and User-Agent, the conversations' endpoints and initial TTLs, and the interface
 * names. Only the fields src/commands reads are kept, in the analysis's order (which the slot
 * rules depend on: "the first request to the server").
 *
 * Bounded whatever the capture's size: each list keeps its first entries (the analysis lists
 * problems first), TLS sessions and HTTP requests only those a slot or the platform guess can
 * pick (the first of each conversation, the first with a server name, the first of each
 * User-Agent per client host), and the whole stays under MAX_CONTEXT_CHARS of JSON.
 * storedSlotSource (stored-slot-source.ts) reads it back.
 */
export interface CommandContext {
  version: 1;
  names: SourceName[];
  tls: SourceTls[];
  http: SourceHttp[];
  flows: SourceFlow[];
  interfaces: string[];
}

/** Name transactions: enough for a suffix search (a few names times a few suffixes) and the failing lookups. */
const MAX_NAMES = 64;
/** Conversations, for the client of a server and each host's initial TTL class. */
const MAX_FLOWS = 64;
const MAX_SESSIONS = 16;
const MAX_REQUESTS = 16;
/** A slot needs only whether the server's address is among the answers; 8 covers round-robin records. */
const MAX_ANSWERS = 8;
/** One is all the {interface} slot takes; more only say it is ambiguous. */
const MAX_INTERFACES = 8;
/** One past the longest value a slot accepts (a URL, 2,000): a cut value fails its slot's shape as the whole one would. */
const MAX_TEXT = 2001;
/** About 32 KB a capture row, whatever the capture's size. */
const MAX_CONTEXT_CHARS = 32_768;

export type CaptureParts = Required<Pick<SlotSource, 'exchanges' | 'flows' | 'capture'>>;

/** The command context of one capture file's analyses (a zip holds several), in their order. */
export function commandContextOf(analyses: readonly CaptureParts[]): CommandContext {
  const cut = (s: string) => s.slice(0, MAX_TEXT);
  const names = analyses.flatMap((a) => a.exchanges.dns ?? []).slice(0, MAX_NAMES).map((t): SourceName => ({
    protocol: t.protocol, client: t.client, server: t.server, name: cut(t.name), qtype: t.qtype, queryFrame: t.queryFrame, rcode: t.rcode, status: t.status, responseTimeMs: t.responseTimeMs,
    // Only whether the query was repeated is read.
    retransmitFrames: t.retransmitFrames.slice(0, 1),
    answers: t.answers.slice(0, MAX_ANSWERS).map(cut),
  }));
  const tls = firstOfEach(analyses.flatMap((a) => a.exchanges.tls ?? []), (s) => [`${s.client} ${s.server}`, s.sni === '' ? null : `${s.client} ${s.server} sni`]);
  const http = firstOfEach(analyses.flatMap((a) => a.exchanges.http ?? []), (x) => [`${x.client} ${x.server}`, x.host === '' ? null : `${x.client} ${x.server} host`, `${hostOf(x.client)} ${x.userAgent}`]);
  const flows = analyses.flatMap((a) => a.flows).slice(0, MAX_FLOWS).map((f): SourceFlow => ({ proto: f.proto, orig: f.orig, resp: f.resp, origSide: ttlOnly(f.origSide), respSide: ttlOnly(f.respSide) }));
  const interfaces = [...new Set(analyses.flatMap((a) => a.capture.interfaces.map((i) => i.name ?? '')))].slice(0, MAX_INTERFACES).map(cut);
  const context: CommandContext = {
    version: 1,
    names,
    tls: tls.slice(0, MAX_SESSIONS).map((s) => ({ client: s.client, server: s.server, sni: cut(s.sni) })),
    http: http.slice(0, MAX_REQUESTS).map((x) => ({ client: x.client, server: x.server, host: cut(x.host), uri: cut(x.uri.split(/[?#]/)[0]), userAgent: x.userAgent })),
    flows,
    interfaces,
  };
  return withinBudget(context);
}

/** The items that are the first of one of their keys (null: no key), in their order. */
function firstOfEach<T>(items: readonly T[], keys: (item: T) => (string | null)[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const fresh = keys(item).filter((k): k is string => k !== null && !seen.has(k));
    for (const k of fresh) seen.add(k);
    return fresh.length > 0;
  });
}

const ttlOnly = (side: SourceFlow['origSide']): SourceFlow['origSide'] => (typeof side.initialTtl === 'number' ? { initialTtl: side.initialTtl } : {});

/** Drops entries from the end of the longest list until the JSON fits MAX_CONTEXT_CHARS. */
function withinBudget(context: CommandContext): CommandContext {
  let size = JSON.stringify(context).length;
  const lists = [context.names, context.flows, context.http, context.tls] as unknown[][];
  while (size > MAX_CONTEXT_CHARS) {
    const longest = lists.reduce((a, b) => (b.length > a.length ? b : a));
    if (longest.length === 0) break;
    size -= JSON.stringify(longest.pop()).length + 1;
  }
  return context;
}
