import type { FlowSummary, HttpExchangeSummary, SideSummary, TlsSession } from '../analysis/analysis-types.js';
import type { FindingFacts } from '../cases/match-cases.js';
import { SEVERITY_RANK } from '../findings/catalog.js';
import type { Finding } from '../findings/finding.js';
import type { NameTransaction } from '../flows/dns-transactions.js';
import { endpointHost, endpointPort } from '../flows/endpoints.js';

/**
 * What slot values are taken from: an Analysis fits as it is; a stored investigation (findings
 * and their facts, and the capture's stored command context: stored-slot-source.ts) fits too.
 * Only `flow` is read from a finding, so grouping fields added to findings later change nothing
 * here. The capture's parts are typed as the fields src/commands reads, no more: what a stored
 * command context must keep.
 */
export type FindingLike = Pick<Finding, 'code' | 'severity' | 'flow' | 'metrics'>;

/** A name transaction as slots and the platform guess read it (only whether it was retransmitted). */
export type SourceName = Pick<NameTransaction, 'protocol' | 'client' | 'server' | 'name' | 'qtype' | 'queryFrame' | 'rcode' | 'answers' | 'status' | 'responseTimeMs'> & { retransmitFrames: readonly number[] };
export type SourceTls = Pick<TlsSession, 'client' | 'server' | 'sni'>;
export type SourceHttp = Pick<HttpExchangeSummary, 'client' | 'server' | 'host' | 'uri' | 'userAgent'>;
/** A UDP flow's sides, and a side the capture saw no IP header of, have no initial TTL. */
type SourceSide = Partial<Pick<SideSummary, 'packets' | 'initialTtl'>>;
export type SourceFlow = Pick<FlowSummary, 'proto' | 'orig' | 'resp'> & { origSide: SourceSide; respSide: SourceSide };

export interface SlotSource {
  /** Ranked, most important first (as Analysis.findings are). */
  findings: readonly FindingLike[];
  findingFacts?: readonly FindingFacts[];
  exchanges?: { dns?: readonly SourceName[]; tls?: readonly SourceTls[]; http?: readonly SourceHttp[] };
  flows?: readonly SourceFlow[];
  capture?: { interfaces: readonly { name?: string }[] };
  cases?: readonly { id: string; why: { codes: readonly string[] } }[];
  answer?: string | null;
}

/**
 * The finding the commands are about: the one given, else the first finding whose code the
 * answer page matched on, else the first problem (medium or worse), else the first finding.
 */
export function focusFinding(source: SlotSource, focus?: FindingLike | null): FindingLike | null {
  if (focus !== undefined && focus !== null) return focus;
  const codes = source.cases?.find((c) => c.id === source.answer)?.why.codes ?? [];
  return (
    source.findings.find((f) => codes.includes(f.code)) ??
    source.findings.find((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.medium) ??
    source.findings[0] ??
    null
  );
}

/** The first finding a case match (by id) matched on: the focus for that page's commands. */
export function findingForCase(source: SlotSource, caseId: string): FindingLike | null {
  const codes = source.cases?.find((c) => c.id === caseId)?.why.codes ?? [];
  return source.findings.find((f) => codes.includes(f.code)) ?? null;
}

/** The server and client a finding is about: endpoints (`1.2.3.4:443`) or bare addresses. */
export interface Sides {
  server: string | null;
  client: string | null;
  /** A conversation (both endpoints known exactly). */
  conversation: boolean;
}

export function sidesOf(f: FindingLike | null): Sides {
  const flow = f?.flow ?? null;
  if (flow === null) return { server: null, client: null, conversation: false };
  if ('resp' in flow) return { server: flow.resp, client: flow.orig, conversation: true };
  if ('server' in flow) return { server: flow.server, client: null, conversation: false };
  return { server: null, client: flow.client, conversation: false };
}

/** The address of an endpoint or bare address (also a bracketed bare IPv6 address); its port or null. */
export const hostOf = (endpoint: string): string => endpointHost(endpoint).replace(/^\[(.*)\]$/, '$1');
export const portOf = (endpoint: string): number | null => {
  const p = endpointPort(endpoint);
  return Number.isInteger(p) && p > 0 ? p : null;
};

/**
 * The focus finding's sides, completed from the other findings that share one of its hosts (a
 * finding about a client lends the server of another finding about that client); with no focus
 * host at all, from the first findings that name one. A server without a client takes the
 * originator of the capture's first conversation with that server.
 */
export function placeOf(source: SlotSource, focus: FindingLike | null): Sides {
  const own = sidesOf(focus);
  const hosts = [own.server, own.client].filter((h): h is string => h !== null).map(hostOf);
  const related = source.findings.map(sidesOf).filter((s) => hosts.length === 0 || [s.server, s.client].some((h) => h !== null && hosts.includes(hostOf(h))));
  const server = own.server ?? related.find((s) => s.server !== null)?.server ?? null;
  const fromFindings = own.client ?? related.find((s) => s.client !== null && (server === null || s.server === null || hostOf(s.server) === hostOf(server)))?.client ?? null;
  const fromFlows = server === null ? undefined : (source.flows ?? []).find((f) => f.resp === server || (portOf(server) === null && hostOf(f.resp) === hostOf(server)))?.orig;
  return { server, client: fromFindings ?? fromFlows ?? null, conversation: own.conversation };
}
