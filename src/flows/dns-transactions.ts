import type { DnsMessage } from '../decode/dns.js';

/**
 * Name-resolution transactions: DNS (also over TCP), mDNS, LLMNR and NBNS queries matched to their
 * responses by client, server, transaction id and name. A query repeated for the same name and type
 * by the same client to the same server while unanswered (also from a new source port or with a new
 * id, as resolvers do) counts as a retransmission of the first one. A query is unanswered when the
 * capture runs on for UNANSWERED_AFTER_NS after it without a response.
 */
export type NameProtocol = 'dns' | 'mdns' | 'llmnr' | 'nbns';

export interface NameTransaction {
  protocol: NameProtocol;
  client: string;
  server: string;
  id: number;
  name: string;
  qtype: number;
  queryFrame: number;
  queryNs: number;
  /** Frames of repeated queries for the same name. */
  retransmitFrames: number[];
  responseFrame: number;
  responseNs: number;
  rcode: number;
  answers: string[];
  /** 'answered', 'unanswered' (capture ran on 5 s and more), or 'no_response_in_capture'. */
  status: 'answered' | 'unanswered' | 'no_response_in_capture';
  responseTimeMs: number;
}

export const UNANSWERED_AFTER_NS = 5e9;
const MAX_TRANSACTIONS = 100_000;
const RETRANSMIT_WINDOW_NS = 10e9;

export class NameTransactions {
  readonly all: NameTransaction[] = [];
  private readonly open = new Map<string, NameTransaction>();
  limitHit = false;

  query(protocol: NameProtocol, client: string, server: string, id: number, name: string, qtype: number, frame: number, timeNs: number): void {
    const sameQuestion = `${client}|${server}|${name.toLowerCase()}|${qtype}|${protocol}`;
    const previous = this.open.get(sameQuestion);
    if (previous !== undefined && previous.responseFrame === 0 && timeNs - previous.queryNs < RETRANSMIT_WINDOW_NS) {
      previous.retransmitFrames.push(frame);
      this.open.set(`${client}|${server}|${id}|${protocol}`, previous);
      return;
    }
    if (this.all.length >= MAX_TRANSACTIONS) {
      this.limitHit = true;
      return;
    }
    const t: NameTransaction = { protocol, client, server, id, name, qtype, queryFrame: frame, queryNs: timeNs, retransmitFrames: [], responseFrame: 0, responseNs: -1, rcode: -1, answers: [], status: 'no_response_in_capture', responseTimeMs: -1 };
    this.all.push(t);
    this.open.set(sameQuestion, t);
    this.open.set(`${client}|${server}|${id}|${protocol}`, t);
  }

  response(protocol: NameProtocol, client: string, server: string, id: number, rcode: number, answers: string[], frame: number, timeNs: number, name = ''): void {
    // Multicast queries (mDNS, LLMNR, NBNS broadcasts) are answered from the responder's own
    // address, and mDNS answers go to the group: match those by protocol, id and name.
    const t = this.open.get(`${client}|${server}|${id}|${protocol}`) ?? this.findByClient(protocol, client, id) ?? (protocol === 'dns' ? undefined : this.findByName(protocol, id, name));
    if (t === undefined || t.responseFrame !== 0) return;
    t.responseFrame = frame;
    t.responseNs = timeNs;
    t.rcode = rcode;
    t.answers = answers.slice(0, 16);
    t.status = 'answered';
    t.responseTimeMs = (timeNs - t.queryNs) / 1e6;
  }

  /** Decides, at the end of the capture, which queries went unanswered. */
  finish(captureEndNs: number): void {
    for (const t of this.all) {
      if (t.responseFrame === 0) t.status = captureEndNs - t.queryNs >= UNANSWERED_AFTER_NS ? 'unanswered' : 'no_response_in_capture';
    }
  }

  private findByName(protocol: NameProtocol, id: number, name: string): NameTransaction | undefined {
    const wanted = name.toLowerCase();
    for (let i = this.all.length - 1, n = 0; i >= 0 && n < 64; i--, n++) {
      const t = this.all[i];
      if (t.protocol === protocol && t.id === id && t.responseFrame === 0 && (wanted === '' || t.name.toLowerCase() === wanted)) return t;
    }
    return undefined;
  }

  private findByClient(protocol: NameProtocol, client: string, id: number): NameTransaction | undefined {
    for (let i = this.all.length - 1, n = 0; i >= 0 && n < 64; i--, n++) {
      const t = this.all[i];
      if (t.protocol === protocol && t.client === client && t.id === id && t.responseFrame === 0) return t;
    }
    return undefined;
  }
}

export function dnsAnswers(m: DnsMessage): string[] {
  return m.answers.map((a) => a.data).filter((d) => d !== '');
}
