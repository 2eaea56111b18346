import type { NameProtocol } from '../flows/dns-transactions.js';
import type { CommandContext } from './command-context.js';
import type { SlotSource, SourceFlow, SourceHttp, SourceName, SourceTls } from './slot-source.js';

/**
 * The capture's part of a SlotSource, read back from a stored capture summary (its
 * `commandContext`, written by commandContextOf when the analysis was recorded). The caller adds
 * the findings, their facts, the case matches and the answer. A summary recorded before the
 * context was kept, or one that is not understood, gives {} (the slots it would fill stay
 * placeholders, as before); an entry missing a field it needs is left out.
 */
export type StoredSlotSource = Pick<SlotSource, 'exchanges' | 'flows' | 'capture'>;

const PROTOCOLS: readonly NameProtocol[] = ['dns', 'mdns', 'llmnr', 'nbns'];
const STATUSES: readonly SourceName['status'][] = ['answered', 'unanswered', 'no_response_in_capture'];

export function storedSlotSource(summary: Record<string, unknown> | null | undefined): StoredSlotSource {
  const c = summary?.commandContext as Partial<CommandContext> | undefined;
  if (!isObject(c) || c.version !== 1) return {};
  return {
    exchanges: { dns: listOf(c.names, nameOf), tls: listOf(c.tls, tlsOf), http: listOf(c.http, httpOf) },
    flows: listOf(c.flows, flowOf),
    capture: { interfaces: listOf(c.interfaces, (n) => (typeof n === 'string' ? { name: n } : null)) },
  };
}

type Raw = Record<string, unknown>;
const isObject = (x: unknown): x is Raw => typeof x === 'object' && x !== null && !Array.isArray(x);
const isString = (x: unknown): x is string => typeof x === 'string';
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter(isString) : []);

function listOf<T>(x: unknown, read: (item: unknown) => T | null): T[] {
  return Array.isArray(x) ? x.map(read).filter((v): v is T => v !== null) : [];
}

function nameOf(x: unknown): SourceName | null {
  if (!isObject(x) || !PROTOCOLS.includes(x.protocol as NameProtocol) || !STATUSES.includes(x.status as SourceName['status'])) return null;
  const { client, server, name, qtype, queryFrame, rcode, responseTimeMs } = x;
  if (!isString(client) || !isString(server) || !isString(name) || !isNumber(qtype) || !isNumber(queryFrame) || !isNumber(rcode) || !isNumber(responseTimeMs)) return null;
  const retransmitFrames = Array.isArray(x.retransmitFrames) ? x.retransmitFrames.filter(isNumber) : [];
  return { protocol: x.protocol as NameProtocol, client, server, name, qtype, queryFrame, rcode, status: x.status as SourceName['status'], responseTimeMs, retransmitFrames, answers: strings(x.answers) };
}

function tlsOf(x: unknown): SourceTls | null {
  return isObject(x) && isString(x.client) && isString(x.server) && isString(x.sni) ? { client: x.client, server: x.server, sni: x.sni } : null;
}

function httpOf(x: unknown): SourceHttp | null {
  if (!isObject(x) || !isString(x.client) || !isString(x.server) || !isString(x.host) || !isString(x.uri)) return null;
  return { client: x.client, server: x.server, host: x.host, uri: x.uri, userAgent: isString(x.userAgent) ? x.userAgent : '' };
}

function flowOf(x: unknown): SourceFlow | null {
  if (!isObject(x) || (x.proto !== 'tcp' && x.proto !== 'udp') || !isString(x.orig) || !isString(x.resp)) return null;
  const side = (s: unknown) => (isObject(s) && isNumber(s.initialTtl) ? { initialTtl: s.initialTtl } : {});
  return { proto: x.proto, orig: x.orig, resp: x.resp, origSide: side(x.origSide), respSide: side(x.respSide) };
}
