import type { StopReading } from '../flows/stop-point.js';
import type { CaptureInfo } from '../capture/summarize-capture.js';
import type { Finding } from '../findings/finding.js';
import type { CaseMatch, FindingFacts, NoAnswer } from '../cases/match-cases.js';
import type { CertificateInfo } from '../flows/certificates.js';
import type { NameTransaction } from '../flows/dns-transactions.js';
import type { SemanticCounts } from '../flows/semantic-view.js';
import type { TlsAlert, TlsStage } from '../flows/tls-stream.js';
import type { ConnState } from '../flows/zeek-state.js';

/** `netcase analyze --json`: the whole pipeline's result. Findings and cases come in later stages. */
export interface Analysis {
  capture: CaptureInfo;
  /** Where the capture seems to have been taken, from the TTLs of each side. */
  vantage: Vantage;
  focus: { host: string | null; port: number | null };
  flowCount: { tcp: number; udp: number };
  flows: FlowSummary[];
  exchanges: { dns: NameTransaction[]; tls: TlsSession[]; http: HttpExchangeSummary[] };
  protocols: Record<string, number>;
  anomalies: Record<string, number>;
  limits: { tcpUntracked: number; udpUntracked: number; reassembly: number; nameTransactions: number };
  findings: Finding[];
  /** Per finding (same order): the facts case-page conditions test (port, tls_version, rcode, ...). */
  findingFacts: FindingFacts[];
  cases: CaseMatch[];
  /** The id of a confident case match, or null. */
  answer: string | null;
  /** Why there is no answer (one line and its parts), or null when there is one or no case library. */
  noAnswer: NoAnswer | null;
}

export interface Vantage {
  /** 'client' when originators' TTLs arrive unreduced (the capture ran on the clients), etc. */
  side: 'client' | 'server' | 'between' | 'unknown';
  explanation: string;
}

export interface SideSummary {
  packets: number;
  bytes: number;
  ttl: number;
  initialTtl: number;
  hops: number;
  mss: number;
  windowScale: number;
  sackPermitted: boolean;
  ecnMarks: { ect0: number; ect1: number; ce: number };
}

export interface FlowSummary {
  id: number;
  proto: 'tcp' | 'udp';
  app: string;
  orig: string;
  resp: string;
  state: ConnState | null;
  history: string;
  firstFrame: number;
  lastFrame: number;
  startMs: number;
  durationMs: number;
  origSide: SideSummary | { packets: number; bytes: number };
  respSide: SideSummary | { packets: number; bytes: number };
  handshake?: { synToSynAckMs: number; synAckToAckMs: number; initialRttMs: number; synRetransmits: number };
  ecn?: { setupSyn: boolean; accepted: boolean };
  close?: { by: 'orig' | 'resp' | null; how: 'fin' | 'rst' | null; frame: number };
  /** Where the conversation stopped and which sides the capture vouches for (flows/stop-point.ts). */
  stop?: StopReading;
  portReuse?: boolean;
  analysis?: Partial<SemanticCounts>;
  evidence?: Record<string, number[]>;
  notable: boolean;
}

export interface TlsSession {
  flowId: number;
  client: string;
  server: string;
  sni: string;
  offeredVersions: string[];
  selectedVersion: string | null;
  alpnOffered: string[];
  alpnSelected: string;
  cipherSuite: number | null;
  stage: TlsStage;
  certificates: CertificateInfo[];
  alerts: TlsAlert[];
  appDataBytes: { client: number; server: number };
  handshakeMs: number | null;
  closedBy: 'client' | 'server' | null;
  closeHow: 'fin' | 'rst' | null;
  closeAfterLastDataMs: number | null;
  frames: { clientHello: number; serverHello: number; certificate: number; firstAppData: number };
  incomplete: boolean;
  notable: boolean;
}

export interface HttpExchangeSummary {
  flowId: number;
  client: string;
  server: string;
  method: string;
  uri: string;
  host: string;
  /** The request's User-Agent, its first 128 characters ('' without one). */
  userAgent: string;
  status: number | null;
  requestFrame: number;
  responseFrame: number | null;
  responseTimeMs: number | null;
  requestBodyBytes: number;
  responseBodyBytes: number;
  credentialsSent: boolean;
  notable: boolean;
}
