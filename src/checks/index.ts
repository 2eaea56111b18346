import { rankFindings, type Finding } from '../findings/finding.js';
import { dropsSuspected, duplicateFrames, oneDirectionOnly, snaplenTruncated, stateLimitsHit, truncatedFile } from './capture-quality.js';
import type { Check, CheckInput } from './check.js';
import { deferSymptoms } from './defer.js';
import { groupFindings } from './group-findings.js';
import { firstRequestPenalty, serverThinkTime } from './app-timing.js';
import { ecnSynackBlackhole, ecnSynBlackhole, ectDataBlackhole } from './ecn.js';
import { fallbackLlmnrNbns, nbnsNodeStatusProbe, ptrLookupStall, singleLabelToDns, suffixSearchExhaustion } from './name-patterns.js';
import { pmtudBlackhole } from './pmtud.js';
import { ephemeralRangePressure, portReuseFast } from './tcp-ports.js';
import { handshakeSlow, keepaliveDeadPeer, rtoStall, synAnsweredByStaleAck, windowLimited } from './tcp-timing.js';
import { certChainIncomplete, certValidity, clientAbortAfterServerFlight, clientAbortMidTransfer, versionOrCipherMismatch } from './tls-session.js';
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
  handshakeSlow,
  portReuseFast,
  synAnsweredByStaleAck,
  ephemeralRangePressure,
  retransmissionRate,
  rtoStall,
  zeroWindow,
  windowLimited,
  pmtudBlackhole,
  rstAbort,
  keepaliveDeadPeer,
  ecnNegotiation,
  ecnSynBlackhole,
  ecnSynackBlackhole,
  ectDataBlackhole,
  dnsNoResponse,
  dnsSlowResponse,
  dnsErrorRcode,
  ptrLookupStall,
  nbnsNodeStatusProbe,
  singleLabelToDns,
  suffixSearchExhaustion,
  fallbackLlmnrNbns,
  tlsAlertFatal,
  clientAbortAfterServerFlight,
  clientAbortMidTransfer,
  certChainIncomplete,
  certValidity,
  versionOrCipherMismatch,
  firstRequestPenalty,
  serverThinkTime,
  httpSlowResponse,
  httpErrorStatus,
  httpNoResponse,
];

/**
 * Runs every check, lets symptoms defer to the causes that explain them, groups them into one
 * finding per code and place with the capture's severity, and ranks them (severity, confidence,
 * first frame).
 */
export function runChecks(input: CheckInput, checks: readonly Check[] = CHECKS): Finding[] {
  const all: Finding[] = [];
  for (const check of checks) all.push(...check.run(input));
  return rankFindings(groupFindings(deferSymptoms(all), input));
}
