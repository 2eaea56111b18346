/**
 * The public finding codes. They appear in Slack, in the database and in case pages and are never
 * renamed; the catalog is typed `satisfies Record<FindingCode, ...>` so the compiler proves every
 * code has its default severity and title.
 */
export const FINDING_CODES = [
  'capture.truncated_file',
  'capture.snaplen_truncated',
  'capture.drops_suspected',
  'capture.one_direction_only',
  'capture.duplicate_frames',
  'capture.state_limits_hit',
  'tcp.syn_unanswered',
  'tcp.syn_rejected',
  'tcp.syn_retransmit_delay',
  'tcp.handshake_slow',
  'tcp.port_reuse_fast',
  'tcp.syn_answered_by_stale_ack',
  'tcp.ephemeral_range_pressure',
  'tcp.retransmission_rate',
  'tcp.rto_stall',
  'tcp.zero_window',
  'tcp.window_limited',
  'tcp.pmtud_blackhole',
  'tcp.rst_abort',
  'tcp.keepalive_dead_peer',
  'tcp.ecn_negotiation',
  'tcp.ecn_syn_blackhole',
  'tcp.ecn_synack_blackhole',
  'tcp.ect_data_blackhole',
  'dns.no_response',
  'dns.slow_response',
  'dns.error_rcode',
  'dns.ptr_lookup_stall',
  'nbns.node_status_probe',
  'dns.single_label_to_dns',
  'dns.suffix_search_exhaustion',
  'name.fallback_llmnr_nbns',
  'tls.alert_fatal',
  'tls.client_abort_after_server_flight',
  'tls.client_abort_mid_transfer',
  'tls.cert_chain_incomplete',
  'tls.cert_validity',
  'tls.version_or_cipher_mismatch',
  'app.first_request_penalty',
  'app.server_think_time',
  'http.slow_response',
  'http.error_status',
  'http.no_response',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export interface CatalogEntry {
  severity: Severity;
  title: string;
}

export const CATALOG = {
  'capture.truncated_file': { severity: 'info', title: 'The capture file ends inside a record' },
  'capture.snaplen_truncated': { severity: 'low', title: 'Payloads cut by the snapshot length' },
  'capture.drops_suspected': { severity: 'medium', title: 'The capture missed packets' },
  'capture.one_direction_only': { severity: 'medium', title: 'Most connections show only one direction' },
  'capture.duplicate_frames': { severity: 'medium', title: 'Frames captured twice' },
  'capture.state_limits_hit': { severity: 'low', title: 'A bookkeeping limit of the analysis was reached' },
  'tcp.syn_unanswered': { severity: 'high', title: 'Connection attempts get no answer' },
  'tcp.syn_rejected': { severity: 'medium', title: 'Connection attempts are refused' },
  'tcp.syn_retransmit_delay': { severity: 'medium', title: 'Connections open only after SYN retransmissions' },
  'tcp.handshake_slow': { severity: 'medium', title: 'Slow TCP handshake' },
  'tcp.port_reuse_fast': { severity: 'medium', title: 'Client ports reused quickly' },
  'tcp.syn_answered_by_stale_ack': { severity: 'high', title: 'SYN answered by an ACK of an old connection' },
  'tcp.ephemeral_range_pressure': { severity: 'high', title: 'Client running through its ephemeral ports' },
  'tcp.retransmission_rate': { severity: 'medium', title: 'High TCP retransmission rate' },
  'tcp.rto_stall': { severity: 'high', title: 'Transfer stalled until a timeout retransmission' },
  'tcp.zero_window': { severity: 'high', title: 'Receiver advertised a zero window' },
  'tcp.window_limited': { severity: 'medium', title: 'Throughput limited by the receive window' },
  'tcp.pmtud_blackhole': { severity: 'high', title: 'Path MTU black hole' },
  'tcp.rst_abort': { severity: 'low', title: 'Connections reset' },
  'tcp.keepalive_dead_peer': { severity: 'medium', title: 'Keep-alives unanswered' },
  'tcp.ecn_negotiation': { severity: 'info', title: 'ECN negotiation' },
  'tcp.ecn_syn_blackhole': { severity: 'critical', title: 'ECN-setup SYNs are dropped' },
  'tcp.ecn_synack_blackhole': { severity: 'critical', title: "The server's ECN SYN-ACK never gets through" },
  'tcp.ect_data_blackhole': { severity: 'critical', title: 'ECN-marked data is dropped' },
  'dns.no_response': { severity: 'medium', title: 'DNS queries without an answer' },
  'dns.slow_response': { severity: 'medium', title: 'Slow DNS answers' },
  'dns.error_rcode': { severity: 'high', title: 'DNS errors' },
  'dns.ptr_lookup_stall': { severity: 'high', title: 'Waiting on a reverse DNS lookup' },
  'nbns.node_status_probe': { severity: 'high', title: 'NetBIOS name queries inside a delay' },
  'dns.single_label_to_dns': { severity: 'medium', title: 'A short name sent to DNS' },
  'dns.suffix_search_exhaustion': { severity: 'high', title: 'A short name failed with every DNS suffix' },
  'name.fallback_llmnr_nbns': { severity: 'info', title: 'LLMNR or NetBIOS fallback after DNS failed' },
  'tls.alert_fatal': { severity: 'medium', title: 'TLS fatal alert' },
  'tls.client_abort_after_server_flight': { severity: 'high', title: "Client gave up after the server's handshake" },
  'tls.client_abort_mid_transfer': { severity: 'medium', title: 'Client aborted a TLS download' },
  'tls.cert_chain_incomplete': { severity: 'high', title: 'Incomplete certificate chain' },
  'tls.cert_validity': { severity: 'high', title: 'Certificate not valid' },
  'tls.version_or_cipher_mismatch': { severity: 'medium', title: 'TLS version or cipher mismatch' },
  'app.first_request_penalty': { severity: 'high', title: 'First request much slower than the rest' },
  'app.server_think_time': { severity: 'medium', title: 'Server slow to answer' },
  'http.slow_response': { severity: 'medium', title: 'Slow HTTP responses' },
  'http.error_status': { severity: 'info', title: 'HTTP error responses' },
  'http.no_response': { severity: 'high', title: 'HTTP requests without a response' },
} as const satisfies Record<FindingCode, CatalogEntry>;
