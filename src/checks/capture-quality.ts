import { makeFinding } from '../findings/finding.js';
import { message } from '../findings/messages.js';
import { reason } from '../findings/reasons.js';
import { defineCheck } from './check.js';

/** The capture-quality checks run first: they say how far the rest can be trusted. */
export const truncatedFile = defineCheck({
  code: 'capture.truncated_file',
  description: 'the file ends inside a record',
  run: ({ capture }) =>
    capture.warnings
      .filter((w) => w.code === 'capture.truncated_file')
      .map((w) => makeFinding('capture.truncated_file', { message: message('capture.truncated_file', { warning: w.message, frame: w.frame ?? 0, packets: capture.packets }), frames: w.frame ? [w.frame] : [], confidence: 1 })),
});

export const snaplenTruncated = defineCheck({
  code: 'capture.snaplen_truncated',
  description: 'payloads cut by the snapshot length',
  run: ({ capture, anomalies }) => {
    const cut = capture.bytes - capture.capturedBytes;
    if (cut <= 0) return [];
    const truncatedLayers = [...anomalies].filter(([k]) => k.endsWith('.truncated')).reduce((n, [, v]) => n + v, 0);
    return [
      makeFinding('capture.snaplen_truncated', {
        message: message('capture.snaplen_truncated', { snaplenBytes: capture.snaplen, missingBytes: cut, bytes: capture.bytes, cutHeaders: truncatedLayers }),
        frames: [],
        metrics: { snaplenBytes: capture.snaplen, missingBytes: cut },
        confidence: 1,
      }),
    ];
  },
});

export const stateLimitsHit = defineCheck({
  code: 'capture.state_limits_hit',
  description: 'a bookkeeping cap of the flow engine was reached',
  run: ({ limits }) => {
    const hit = Object.entries(limits).filter(([, v]) => v > 0);
    if (hit.length === 0) return [];
    return [makeFinding('capture.state_limits_hit', { message: message('capture.state_limits_hit', { limits: hit.map(([k, v]) => `${k} ${v}`) }), frames: [], metrics: Object.fromEntries(hit), confidence: 1 })];
  },
});

export const duplicateFrames = defineCheck({
  code: 'capture.duplicate_frames',
  description: 'the same packet captured twice (SPAN, multi-component pktmon)',
  run: ({ tcp }) => {
    const withDuplicates = tcp.filter((c) => c.semantic.duplicateFrames > 0);
    const count = withDuplicates.reduce((n, c) => n + c.semantic.duplicateFrames, 0);
    if (count === 0) return [];
    const frames = withDuplicates.flatMap((c) => c.evidence.get('duplicate_frame') ?? []).sort((a, b) => a - b);
    return [
      makeFinding('capture.duplicate_frames', {
        message: message('capture.duplicate_frames', { frames: count, connections: withDuplicates.length }),
        frames,
        frameCount: count,
        metrics: { duplicateFrames: count },
      }),
    ];
  },
});

export const oneDirectionOnly = defineCheck({
  code: 'capture.one_direction_only',
  description: 'most connections show only one side',
  run: ({ tcp, thresholds }) => {
    const withData = tcp.filter((c) => c.orig.packets + c.resp.packets >= 3);
    const oneSided = withData.filter((c) => c.orig.packets === 0 || c.resp.packets === 0);
    // With few connections a share means little, unless the capture proves it: one side's ACKs
    // move on, acknowledging data from a peer the capture holds nothing of.
    const proven = oneSided.filter((c) => (c.resp.packets === 0 && c.orig.ackAdvances >= 2) || (c.orig.packets === 0 && c.resp.ackAdvances >= 2));
    if (withData.length < thresholds.minConnectionsForRatios && (proven.length === 0 || oneSided.length < withData.length)) return [];
    const share = withData.length === 0 ? 0 : oneSided.length / withData.length;
    if (share < thresholds.oneDirectionShare) return [];
    return [
      makeFinding('capture.one_direction_only', {
        message: message('capture.one_direction_only', { oneSided: oneSided.length, connections: withData.length }),
        frames: oneSided.slice(0, 20).map((c) => c.firstFrame),
        frameCount: oneSided.length,
        metrics: { oneSidedConnections: oneSided.length, connections: withData.length },
      }),
    ];
  },
});

export const dropsSuspected = defineCheck({
  code: 'capture.drops_suspected',
  description: 'ACKs for data the capture never saw, or interface drops',
  run: ({ capture, tcp, thresholds }) => {
    const drops = capture.interfaces.reduce((n, i) => n + (i.drops ?? 0), 0);
    const ackedUnseen = tcp.reduce((n, c) => n + c.semantic.ackedUnseen, 0);
    const segments = tcp.reduce((n, c) => n + c.orig.packets + c.resp.packets, 0);
    // Frames the capture missed that would otherwise read as a fault: a SYN-ACK (the server's
    // ACKs show the handshake completed) or an HTTP answer (the client acknowledged it).
    const missedSynAck = tcp.filter((c) => c.synAckMissed);
    const missedAnswer = tcp.filter((c) => c.semantic.ackedUnseen > 0 && (c.http?.exchanges ?? []).some((x) => x.status < 0));
    const faultLike = missedSynAck.length + missedAnswer.length > 0;
    if (!faultLike && drops === 0 && (segments === 0 || ackedUnseen < thresholds.ackedUnseenMin || ackedUnseen / segments <= thresholds.ackedUnseenRatio)) return [];
    const frames = [...missedSynAck.map((c) => c.orig.synFrame), ...tcp.flatMap((c) => c.evidence.get('ack_lost_segment') ?? [])].sort((a, b) => a - b);
    const reasons = [
      ...(missedSynAck.length > 0 ? [reason('capture.missed_synack', { connections: missedSynAck.length, frame: missedSynAck[0].orig.synFrame })] : []),
      ...(missedAnswer.length > 0 ? [reason('capture.missed_server_data', { acks: missedAnswer.reduce((n, c) => n + c.semantic.ackedUnseen, 0) })] : []),
    ];
    return [
      makeFinding('capture.drops_suspected', {
        message: message('capture.drops_suspected', { interfaceDrops: drops, ackedUnseen, missedSynAcks: missedSynAck.length, faultLike }),
        frames,
        frameCount: ackedUnseen + missedSynAck.length,
        metrics: { interfaceDrops: drops, ackedUnseenSegments: ackedUnseen, missedSynAcks: missedSynAck.length },
        reasons,
      }),
    ];
  },
});
