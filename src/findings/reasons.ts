/**
 * Language-neutral reasons: a check says WHY with a reason id and the facts behind it; the words
 * live in report/'s message catalogs. Reason ids are public API like finding codes (they are in
 * the JSON and the store). Each id has one role:
 *  - because: evidence for the finding's cause (the first one is the finding's `because` sentence);
 *  - ruled_out: a competing explanation and what rules it out;
 *  - next: what to capture or check next when the capture cannot decide;
 *  - deferred: this finding is a symptom of another finding that explains it.
 */
export const REASON_ROLES = {
  'ecn.ect_never_acked_unmarked_through': 'because',
  'ecn.first_ect_then_silence': 'because',
  'ecn.peer_data_never_marked': 'because',
  'ecn.plain_syn_same_server_answered': 'because',
  'pmtu.full_size_lost_small_through': 'because',
  'pmtu.recovered_with_smaller_segments': 'because',
  'pmtu.icmp_after_stall': 'because',
  'pmtu.small_segments_after_stall': 'because',
  'tls.client_certificate_missing': 'because',
  'tcp.handshake_slow_absolute': 'because',
  'capture.missed_server_data': 'because',
  'capture.missed_synack': 'because',
  'tls.issuer_is_root': 'because',
  'ruled_out.pmtu_small_segments_lost': 'ruled_out',
  'ruled_out.random_loss_all_lost': 'ruled_out',
  'ruled_out.random_loss_size_dependent': 'ruled_out',
  'ruled_out.ecn_not_negotiated': 'ruled_out',
  'ruled_out.path_down_plain_packets_pass': 'ruled_out',
  'next.disable_ecn_and_retry': 'next',
  'next.ping_df_size': 'next',
  'next.capture_at_sender': 'next',
  'symptom.explained_by': 'deferred',
} as const;

export type ReasonId = keyof typeof REASON_ROLES;
export type ReasonRole = (typeof REASON_ROLES)[ReasonId];

export interface Reason {
  id: ReasonId;
  facts: Record<string, string | number>;
}

export function reason(id: ReasonId, facts: Record<string, string | number> = {}): Reason {
  return { id, facts };
}
