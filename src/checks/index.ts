import { rankFindings, type Finding } from '../findings/finding.js';
import { dropsSuspected, duplicateFrames, oneDirectionOnly, snaplenTruncated, stateLimitsHit, truncatedFile } from './capture-quality.js';
import type { Check, CheckInput } from './check.js';
import { ecnSynBlackhole, ectDataBlackhole } from './ecn.js';
import { dnsErrorRcode, dnsNoResponse, dnsSlowResponse } from './names.js';
import { synRejected, synRetransmitDelay, synUnanswered } from './tcp-setup.js';
import { ecnNegotiation, retransmissionRate, rstAbort, zeroWindow } from './tcp-transfer.js';
import { httpErrorStatus, httpNoResponse, httpSlowResponse, tlsAlertFatal } from './tls-http.js';

/** Every check, capture quality first. */
export const CHECKS: readonly Check[] = [
  truncatedFile,
  snaplenTruncated,
  dropsSuspected,
  oneDirectionOnly,
  duplicateFrames,
  stateLimitsHit,
  synUnanswered,
  synRejected,
  synRetransmitDelay,
  retransmissionRate,
  zeroWindow,
  rstAbort,
  ecnNegotiation,
  ecnSynBlackhole,
  ectDataBlackhole,
  dnsNoResponse,
  dnsSlowResponse,
  dnsErrorRcode,
  tlsAlertFatal,
  httpErrorStatus,
  httpNoResponse,
  httpSlowResponse,
];

/** Runs every check and ranks what they find (severity, confidence, first frame). */
export function runChecks(input: CheckInput, checks: readonly Check[] = CHECKS): Finding[] {
  const all: Finding[] = [];
  for (const check of checks) all.push(...check.run(input));
  return rankFindings(all);
}
