/**
 * Summary messages: a check says WHAT it saw with a message id and the facts behind it (numbers,
 * endpoints, frame numbers, names, and closed choices such as which side); the sentences live in
 * the message catalogs, one per language (summaries-en.ts, summaries-zh.ts), typed so a missing
 * text or a fact a text reads but no check gives does not compile. Message ids are public API like
 * finding codes and reason ids: they are stored with the finding. A finding code with one shape of
 * summary uses its code as the id; a code with several (seen from the sender or the receiver,
 * refused by a reset or by ICMP) adds what tells them apart.
 */

export type Side = 'client' | 'server';

/** One request as a summary lists it: method and path, or method, host and path, as sent. */
export type RequestLine = string;

export interface SummaryFacts {
  /** `warning`: the capture reader's own English sentence (English only; zh reads frame and packets). */
  'capture.truncated_file': { warning: string; frame: number; packets: number };
  'capture.snaplen_truncated': { snaplenBytes: number; missingBytes: number; bytes: number; cutHeaders: number };
  /** `limits`: each limit reached as "name count". */
  'capture.state_limits_hit': { limits: string[] };
  'capture.duplicate_frames': { frames: number; connections: number };
  'capture.one_direction_only': { oneSided: number; connections: number };
  /** `faultLike`: a missed SYN-ACK or answer would otherwise read as a fault. */
  'capture.drops_suspected': { interfaceDrops: number; ackedUnseen: number; missedSynAcks: number; faultLike: boolean };
  'tcp.syn_unanswered': { connections: number; server: string; syns: number; waitMs: number };
  'tcp.syn_rejected.reset': { connections: number; server: string };
  /** `atServer`: the ICMP message came from the server's own address. */
  'tcp.syn_rejected.icmp': { connections: number; server: string; host: string; port: number; from: string; ipv6: boolean; icmpType: number; icmpCode: number; frame: number; atServer: boolean };
  'tcp.syn_retransmit_delay': { connections: number; server: string; worstMs: number };
  'tcp.handshake_slow': { handshakes: number; server: string; worstMs: number; medianMs: number };
  'tcp.port_reuse_fast': { connections: number; server: string; gapMs: number; timeWaitS: number };
  'tcp.syn_answered_by_stale_ack': { server: string; frame: number };
  'tcp.ephemeral_range_pressure': { client: string; server: string; connections: number; spanS: number; perSecond: number; ports: number; lowestPort: number; highestPort: number; reused: number };
  /** `cause`: path MTU discovery resending smaller, mostly spurious resends, or loss. */
  'tcp.retransmission_rate': { percent: number; retransmittedBytes: number; uniqueBytes: number; retransmissions: number; fast: number; spurious: number; cause: 'pmtud' | 'spurious' | 'loss' };
  'tcp.rto_stall': { side: Side; stallMs: number; frame: number; fullSizeOnly: boolean };
  'tcp.zero_window': { zeroWindows: number; probes: number };
  'tcp.window_limited': { windowFull: number; noScaling: boolean; handshakeSeen: boolean };
  'tcp.rst_abort': { side: Side; frame: number; bytes: number };
  /** `answeredFrame`: the last keep-alive answered, 0 when none was. */
  'tcp.keepalive_dead_peer': { probes: number; answeredFrame: number; reset: boolean };
  'tcp.ecn_negotiation': { requested: number; accepted: number };
  'tcp.ecn_syn_blackhole.fallback': { ecnSyns: number; server: string; plainFrame: number; delayMs: number };
  'tcp.ecn_syn_blackhole.no_fallback': { connections: number; server: string; ecnSyns: number; plainFrame: number };
  'tcp.ecn_synack_blackhole': { sent: number; acked: boolean };
  'tcp.ect_data_blackhole.stateless': { side: Side; ectSegments: number; retransmissions: number };
  'tcp.ect_data_blackhole.stateful': { side: Side; frame: number; retransmissions: number };
  'tcp.ect_data_blackhole.receiver': { side: Side; gaps: number };
  /** `from` reported that packets `src` -> `dst` are too big for its next hop. */
  'tcp.pmtud_blackhole.icmp': { from: string; messages: number; src: string; dst: string; mtu: number; adapted: boolean };
  'tcp.pmtud_blackhole.sender': { side: Side; size: number; retransmits: number };
  'tcp.pmtud_blackhole.probed': { side: Side; size: number; retransmits: number; stallMs: number; after: number };
  'tcp.pmtud_blackhole.small_after_stall': { side: Side; stallMs: number; size: number; mss: number };
  'tcp.pmtud_blackhole.gap': { side: Side; size: number; mss: number };
  /** `names`: up to three names asked, `more`: others were asked too; `lookupServer`: the server as nslookup takes it. */
  'dns.no_response': { queries: number; server: string; lookupServer: string; names: string[]; more: boolean };
  'dns.slow_response': { answers: number; server: string; thresholdMs: number; worstMs: number; retried: boolean };
  /** `serious`: SERVFAIL or REFUSED. */
  'dns.error_rcode': { server: string; rcodeName: string; queries: number; names: string[]; more: boolean; serious: boolean };
  /** `outcome`: what the reverse lookup got, `answerMs` when it got something. */
  'dns.ptr_lookup_stall': { host: string; peer: string; queryFrame: number; outcome: 'none' | 'answer' | 'error'; answerMs: number; waitMs: number; nextFrame: number; nbnsQueries: number };
  'dns.single_label_to_dns': { client: string; name: string; nxdomain: boolean };
  /** `resolvedAs`: the name under which it does resolve ('' when none), `resolvedSuffix` its suffix. */
  'dns.suffix_search_exhaustion': { client: string; short: string; suffixes: string[]; resolvedAs: string; resolvedSuffix: string };
  'name.fallback_llmnr_nbns': { protocols: string[]; names: string[] };
  'nbns.node_status_probe.server': { host: string; peer: string; queries: number; waitMs: number };
  'nbns.node_status_probe.client': { client: string; server: string; waitMs: number; queries: number; frame: number };
  /** `sni` is '' when the client sent none; `emptyCertificate`: an empty Certificate message at `certFrame`, else none sent. */
  'tls.alert_fatal.client_certificate': { sni: string; requestFrame: number; emptyCertificate: boolean; certFrame: number; alert: string; frame: number };
  /** `certificate`: the alert says the other side's certificate was not accepted. */
  'tls.alert_fatal': { side: Side; sni: string; alert: string; frame: number; certificate: boolean };
  'tls.client_abort_after_server_flight': { reset: boolean; frame: number; certificates: number; server: string; sni: string };
  'tls.client_abort_mid_transfer': { sni: string; serverBytes: number; reset: boolean; frame: number };
  'tls.cert_chain_incomplete': { certificates: number; subject: string; issuer: string; issuerInChain: boolean; rejected: boolean };
  /** Certificates outside their validity (`expired`, else not yet valid, on `date`), then the name not covered. */
  'tls.cert_validity': { dates: { subject: string; expired: boolean; date: string }[]; nameMismatch: boolean; sni: string; names: string[]; server: string };
  /** `alert`: the server's alert name, '' when it closed without a ServerHello. */
  'tls.version_or_cipher_mismatch': { versions: number[]; cipherSuites: number; alert: string };
  'app.first_request_penalty': { server: string; firstMs: number; typicalMs: number };
  'app.server_think_time': { server: string; rttMs: number; worstMs: number; requests: RequestLine[] };
  'http.error_status': { server: string; responses: number; statuses: number[]; requests: RequestLine[]; serverError: boolean };
  /** `ending`: how the connection ended in the capture. */
  'http.no_response': { requests: number; server: string; ending: 'closed' | 'reset' | 'open'; examples: RequestLine[] };
  'http.slow_response': { responses: number; server: string; thresholdMs: number; worstMs: number };
}

export type MessageId = keyof SummaryFacts;

/** A summary as data: its id and the facts its sentences read. */
export type Message<K extends MessageId = MessageId> = { [P in K]: { id: P; facts: SummaryFacts[P] } }[K];

/** One sentence-maker per message id, for one language. */
export type SummaryCatalog = { [K in MessageId]: (facts: SummaryFacts[K]) => string };

export function message<K extends MessageId>(id: K, facts: SummaryFacts[K]): Message<K> {
  return { id, facts } as Message<K>;
}
