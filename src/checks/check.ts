import type { CaptureInfo } from '../capture/summarize-capture.js';
import type { IcmpError, LimitsHit, PtrWatch } from '../flows/build-flows.js';
import type { NameTransaction } from '../flows/dns-transactions.js';
import { formatEndpoint } from '../flows/endpoints.js';
import type { SideStats, TcpConnection } from '../flows/tcp-connection.js';
import type { UdpFlow } from '../flows/udp-flow.js';
import type { FindingCode } from '../findings/catalog.js';
import type { Finding, FindingFlow } from '../findings/finding.js';
import type { Thresholds } from './thresholds.js';

/** What every check reads: the flow engine's semantic view of the whole capture. */
export interface CheckInput {
  capture: CaptureInfo;
  tcp: readonly TcpConnection[];
  udp: readonly UdpFlow[];
  names: readonly NameTransaction[];
  limits: LimitsHit;
  icmpErrors: readonly IcmpError[];
  ptrWatches: readonly PtrWatch[];
  /** Decoder anomalies by `layer.kind`. */
  anomalies: ReadonlyMap<string, number>;
  thresholds: Thresholds;
}

/** A check is metadata plus a pure function over the semantic view. */
export interface Check {
  code: FindingCode;
  /** One line: what the check looks for. */
  description: string;
  run(input: CheckInput): Finding[];
}

export function defineCheck(check: Check): Check {
  return check;
}

export function tcpFlow(c: TcpConnection): FindingFlow {
  return { proto: 'tcp', orig: formatEndpoint(c.origin), resp: formatEndpoint(c.responder) };
}

/** Groups items by a key, keeping insertion order. */
export function groupBy<T>(items: Iterable<T>, key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    const list = out.get(k);
    if (list === undefined) out.set(k, [x]);
    else list.push(x);
  }
  return out;
}

/**
 * The sender-side signature of a path MTU black hole: its largest segments resent again and again
 * while the peer's acknowledgement never moves, and no full-size segment had got through before
 * (then the path carried them: an outage, not the MTU) (tcp.pmtud_blackhole; rto_stall defers to it).
 */
export function resendsOnlyFullSize(side: SideStats): boolean {
  return side.fullSizeRetransmits >= 3 && !side.ackMovedAfterRetransmit && side.maxPayload >= 1000 && !side.bigDeliveredEarly;
}
