import { TA_DUPLICATE_ACK, TA_FAST_RETRANSMISSION, TA_KEEP_ALIVE, TA_KEEP_ALIVE_ACK, TA_LOST_SEGMENT, TA_OUT_OF_ORDER, TA_RETRANSMISSION, TA_SPURIOUS_RETRANSMISSION, TA_WINDOW_FULL, TA_ZERO_WINDOW, TA_ZERO_WINDOW_PROBE, TA_ZERO_WINDOW_PROBE_ACK, TA_ACK_LOST_SEGMENT } from './tcp-analysis.js';

/**
 * The semantic view: what really happened, where Wireshark's label says something else. The
 * heuristics read this view; `decode --json` shows Wireshark's.
 *
 * | situation                                   | Wireshark 4.0 says        | semantic view says          |
 * |---------------------------------------------|---------------------------|-----------------------------|
 * | Linux zero-window probe (0 or 1 byte at      | keep_alive                | zero_window_probe           |
 * |   snd_una - 1 while the peer's window is 0)  |                           |                             |
 * | the peer's ACK of such a probe, window 0     | (nothing, or dup ack)     | zero_window_probe_ack       |
 * | the same frame captured twice (SPAN port,    | retransmission, or a      | duplicate_frame, set aside: |
 * |   multi-component pktmon)                    | duplicate ACK             | counted once, not a problem |
 * | everything else                              | its label                 | the same label              |
 */
export const SEM_DUPLICATE_FRAME = 0x10000;

/** Counters per connection, in the semantic view. */
export interface SemanticCounts {
  retransmissions: number;
  fastRetransmissions: number;
  spuriousRetransmissions: number;
  outOfOrder: number;
  lostSegments: number;
  ackedUnseen: number;
  duplicateAcks: number;
  zeroWindows: number;
  zeroWindowProbes: number;
  keepAlives: number;
  windowFull: number;
  duplicateFrames: number;
}

export function newSemanticCounts(): SemanticCounts {
  return { retransmissions: 0, fastRetransmissions: 0, spuriousRetransmissions: 0, outOfOrder: 0, lostSegments: 0, ackedUnseen: 0, duplicateAcks: 0, zeroWindows: 0, zeroWindowProbes: 0, keepAlives: 0, windowFull: 0, duplicateFrames: 0 };
}

/**
 * Semantic flags of one frame from Wireshark's flags and two facts Wireshark does not use: whether
 * the frame repeats the previous frame of its direction exactly, and the peer's last window.
 */
export function semanticFlags(wireshark: number, duplicateFrame: boolean, peerWindow: number, thisWindow: number, peerLastWasProbe: boolean, pureRepeatAck: boolean): number {
  if (duplicateFrame) return SEM_DUPLICATE_FRAME;
  let f = wireshark;
  if (f & TA_KEEP_ALIVE && peerWindow === 0) f = (f & ~TA_KEEP_ALIVE) | TA_ZERO_WINDOW_PROBE;
  if (peerLastWasProbe && pureRepeatAck && thisWindow === 0) f = (f & ~(TA_KEEP_ALIVE_ACK | TA_DUPLICATE_ACK)) | TA_ZERO_WINDOW_PROBE_ACK;
  return f;
}

export function countSemantic(c: SemanticCounts, f: number): void {
  if (f & SEM_DUPLICATE_FRAME) {
    c.duplicateFrames++;
    return;
  }
  if (f & TA_FAST_RETRANSMISSION) c.fastRetransmissions++;
  else if (f & TA_SPURIOUS_RETRANSMISSION) c.spuriousRetransmissions++;
  else if (f & TA_RETRANSMISSION) c.retransmissions++;
  if (f & TA_OUT_OF_ORDER) c.outOfOrder++;
  if (f & TA_LOST_SEGMENT) c.lostSegments++;
  if (f & TA_ACK_LOST_SEGMENT) c.ackedUnseen++;
  if (f & TA_DUPLICATE_ACK) c.duplicateAcks++;
  if (f & TA_ZERO_WINDOW) c.zeroWindows++;
  if (f & TA_ZERO_WINDOW_PROBE) c.zeroWindowProbes++;
  if (f & TA_KEEP_ALIVE) c.keepAlives++;
  if (f & TA_WINDOW_FULL) c.windowFull++;
}
