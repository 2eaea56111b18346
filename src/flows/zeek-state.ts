/**
 * Zeek's connection vocabulary (scripts/base/protocols/conn/main.zeek), so flows read the same way
 * in netcase as in a Zeek conn.log.
 *
 * conn_state:
 *   S0     connection attempt seen, no reply
 *   S1     established, not terminated
 *   SF     normal establishment and termination
 *   REJ    connection attempt rejected (SYN answered by RST)
 *   S2     established, close attempt by the originator seen, no reply from the responder
 *   S3     established, close attempt by the responder seen, no reply from the originator
 *   RSTO   established, the originator aborted (sent a RST)
 *   RSTR   the responder sent a RST
 *   RSTOS0 the originator sent a SYN followed by a RST; no SYN-ACK from the responder
 *   RSTRH  the responder sent a SYN-ACK followed by a RST; no SYN from the (purported) originator
 *   SH     the originator sent a SYN followed by a FIN; no SYN-ACK from the responder
 *   SHR    the responder sent a SYN-ACK followed by a FIN; no SYN from the originator
 *   OTH    no SYN seen, just midstream traffic
 *
 * history: one letter per event, uppercase when the originator did it, lowercase for the responder:
 *   S a SYN without ACK; H a SYN-ACK; A a pure ACK; D data; F FIN; R RST; G a content gap;
 *   T a retransmitted segment; W a zero window; ^ the direction was flipped (midstream guess).
 * S, H, A, D, F and R are recorded once per direction; G, T and W again at the 10th, 100th... time.
 */
export type ConnState = 'S0' | 'S1' | 'SF' | 'REJ' | 'S2' | 'S3' | 'RSTO' | 'RSTR' | 'RSTOS0' | 'RSTRH' | 'SH' | 'SHR' | 'OTH';

export interface StateInputs {
  origSyn: boolean;
  respSynAck: boolean;
  origFin: boolean;
  respFin: boolean;
  origRst: boolean;
  respRst: boolean;
  /** Which side sent the first RST, when both did. */
  firstRstByOrig: boolean;
}

export function connState(s: StateInputs): ConnState {
  if (s.origSyn && !s.respSynAck) {
    if (s.respRst) return 'REJ';
    if (s.origRst) return 'RSTOS0';
    if (s.origFin) return 'SH';
    return 'S0';
  }
  if (!s.origSyn && s.respSynAck) {
    if (s.respRst) return 'RSTRH';
    if (s.respFin) return 'SHR';
    return 'OTH';
  }
  if (!s.origSyn && !s.respSynAck) return 'OTH';
  if (s.origRst || s.respRst) return s.origRst && (!s.respRst || s.firstRstByOrig) ? 'RSTO' : 'RSTR';
  if (s.origFin && s.respFin) return 'SF';
  if (s.origFin) return 'S2';
  if (s.respFin) return 'S3';
  return 'S1';
}

/** Appends history letters with Zeek's once-per-direction and power-of-ten repetition rules. */
export class History {
  text = '';
  /** Letters already recorded, one bit per letter (A-Z, a-z, ^). */
  private seen = 0;
  private seenLower = 0;
  private readonly counts = new Map<string, number>();

  once(letter: string): void {
    const code = letter.charCodeAt(0);
    const lower = code >= 97;
    const bit = 1 << ((code - (lower ? 97 : 64)) & 31);
    if (lower ? this.seenLower & bit : this.seen & bit) return;
    if (lower) this.seenLower |= bit;
    else this.seen |= bit;
    this.text += letter;
  }

  repeated(letter: string): void {
    const n = (this.counts.get(letter) ?? 0) + 1;
    this.counts.set(letter, n);
    if (n === 1 || n === 10 || n === 100 || n === 1000 || n === 10000) this.text += letter;
  }
}
