import type { ReasonId } from './reasons.js';

type Facts = Record<string, string | number>;
const n = (f: Facts, k: string) => Number(f[k] ?? 0);
const s = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** English sentences for every reason id (the compiler checks none is missing). */
export const REASONS_EN = {
  'ecn.ect_never_acked_unmarked_through': (f) =>
    `ECN was negotiated and none of the ${f.side}'s ${s(n(f, 'ectSegments'), 'ECT-marked data segment')} was acknowledged, while its ${s(n(f, 'plainRetransmits'), 'unmarked retransmission')} got through (from frame ${f.frame}): something on the path drops ECT-marked packets.`,
  'ecn.first_ect_then_silence': (f) =>
    `ECN was negotiated and everything before the ${f.side}'s first ECT-marked data segment (frame ${f.frame}) got through; that segment and all ${s(n(f, 'plainRetransmits'), 'unmarked retransmission')} after it were never acknowledged: a middlebox dropped the flow from its first ECT-marked packet on.`,
  'ecn.peer_data_never_marked': (f) => `The ${f.side} agreed to ECN, yet none of its ${s(n(f, 'segments'), 'data segment')} arrived with an ECT mark: only unmarked retransmissions reached this capture point.`,
  'ecn.plain_syn_same_server_answered': (f) =>
    `${s(n(f, 'ecnSyns'), 'SYN')} asking for ECN to ${f.server} got no answer (from frame ${f.frame}), while a SYN without ECN to the same server was answered (frame ${f.plainFrame}).`,
  'pmtu.full_size_lost_small_through': (f) =>
    `The ${f.side}'s full-size ${f.size}-byte segments were resent ${s(n(f, 'retransmits'), 'time')} without being acknowledged while its smaller packets got through: loss that depends on size.`,
  'pmtu.recovered_with_smaller_segments': (f) =>
    `After ${s(n(f, 'retransmits'), 'unacknowledged retransmission')} of its ${f.size}-byte segments the ${f.side} went on with ${f.after}-byte segments, which got through: it found a smaller path MTU by itself (MTU probing), after a stall of ${f.stallMs} ms.`,
  'pmtu.icmp_after_stall': (f) =>
    `The "packet too big" message from ${f.from} (MTU ${f.mtu}) came only after the ${f.side} had resent its full-size segments ${s(n(f, 'retransmits'), 'time')} (a stall of ${f.stallMs} ms): the small hop cost the connection time before the sender adapted.`,
  'pmtu.small_segments_after_stall': (f) =>
    `The ${f.side}'s data stopped for ${f.stallMs} ms and then came only in ${f.size}-byte segments (frame ${f.frame}) although ${f.mss} bytes were allowed: its full-size segments were lost on the way and it fell back to smaller ones.`,
  'tls.client_certificate_missing': (f) =>
    `The server asked for a client certificate (frame ${f.requestFrame}) and the client ${n(f, 'certFrame') > 0 ? `answered with an empty Certificate message (frame ${f.certFrame})` : 'sent none'}; the server then ended the handshake with ${f.alert} (frame ${f.frame}): mutual TLS, a client certificate is required.`,
  'tcp.handshake_slow_absolute': (f) => `The SYN-ACK came ${f.ms} ms after the SYN (frame ${f.frame}), beyond the ${f.bound} ms that no network path needs${n(f, 'handshakes') === 1 ? '; it is the only handshake in the capture, so there is nothing to compare it with' : ''}.`,
  'capture.missed_server_data': (f) => `The client acknowledged server data the capture never saw (${s(n(f, 'acks'), 'ACK')}): the answer was probably sent and missed by the capture, not lost by the network.`,
  'capture.missed_synack': (f) => `${s(n(f, 'connections'), 'connection')} went on after the SYN (frame ${f.frame}) with no SYN-ACK in the capture, while the server's ACKs acknowledge the SYN: the capture missed the SYN-ACK; the handshake worked.`,
  'tls.issuer_is_root': (f) => `The server sent only its own certificate, issued by "${f.issuer}", whose name says it is a root: clients that trust that root need nothing more, and the client did not complain about the chain.`,
  'ruled_out.pmtu_small_segments_lost': (f) => `Not a path MTU problem: small segments were lost too (${f.size} bytes, frame ${f.frame}).`,
  'ruled_out.random_loss_all_lost': (f) => `Not random loss: all ${s(n(f, 'lost'), 'retransmission')} after that point were lost, and everything before it got through.`,
  'ruled_out.random_loss_size_dependent': () => `Not random loss: only the largest segments were lost, the small ones always got through.`,
  'ruled_out.ecn_not_negotiated': () => `Not an ECN problem: ECN was not negotiated on this connection.`,
  'ruled_out.path_down_plain_packets_pass': (f) => `Not a dead path: packets without the ECN mark kept getting through (frame ${f.frame}).`,
  'next.disable_ecn_and_retry': () => `Disable ECN on the host that asks for it (netsh int tcp set global ecncapability=disabled / sysctl -w net.ipv4.tcp_ecn=0) and try again: if it works, find the device that drops ECN-marked packets.`,
  'next.ping_df_size': (f) => `Confirm with a do-not-fragment ping of the full size towards ${f.peer} (ping -f -l 1472 on Windows, ping -M do -s 1472 on Linux), then smaller, to find the path MTU.`,
  'next.capture_at_sender': (f) => `Capture at the ${f.side} as well: this capture point cannot see whether its packets left it.`,
  'symptom.explained_by': (f) => `A symptom of ${f.code} on the same connection, which explains it.`,
} satisfies Record<ReasonId, (facts: Facts) => string>;
