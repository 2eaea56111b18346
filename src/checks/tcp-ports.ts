import { formatEndpoint } from '../flows/endpoints.js';
import { makeFinding } from '../findings/finding.js';
import { message } from '../findings/messages.js';
import { defineCheck, groupBy } from './check.js';

/** A 4-tuple reused shortly after the previous connection on it ended (inside 2*MSL). */
export const portReuseFast = defineCheck({
  code: 'tcp.port_reuse_fast',
  description: 'a 4-tuple reused shortly after the previous connection on it',
  run: ({ tcp, thresholds }) => {
    const byTuple = groupBy(tcp, (c) => `${formatEndpoint(c.origin)}>${formatEndpoint(c.responder)}`);
    const quick: { frame: number; gapMs: number; tuple: string; server: string }[] = [];
    for (const [tuple, conns] of byTuple) {
      for (let i = 1; i < conns.length; i++) {
        const gapMs = (conns[i].startNs - conns[i - 1].endNs) / 1e6;
        if (gapMs < thresholds.timeWaitMs) quick.push({ frame: conns[i].firstFrame, gapMs, tuple, server: formatEndpoint(conns[i].responder) });
      }
    }
    return [...groupBy(quick, (q) => q.server)].map(([server, list]) =>
      makeFinding('tcp.port_reuse_fast', {
        message: message('tcp.port_reuse_fast', { connections: list.length, server, gapMs: Math.round(Math.max(...list.map((q) => q.gapMs))), timeWaitS: thresholds.timeWaitMs / 1000 }),
        frames: list.map((q) => q.frame),
        flow: { server },
        metrics: { quickReuses: list.length, shortestGapMs: Math.round(Math.min(...list.map((q) => q.gapMs))) },
      }),
    );
  },
});

/** One client cycling through a large part of its port range towards one server at a high rate. */
export const ephemeralRangePressure = defineCheck({
  code: 'tcp.ephemeral_range_pressure',
  description: 'a client cycles through its ephemeral ports towards one server',
  run: ({ tcp, thresholds }) => {
    const pairs = groupBy(tcp, (c) => `${c.origin.ip}>${formatEndpoint(c.responder)}`);
    return [...pairs].flatMap(([key, conns]) => {
      if (conns.length < thresholds.portPressureConnections) return [];
      const ports = new Set(conns.map((c) => c.origin.port));
      const spanMs = (conns[conns.length - 1].startNs - conns[0].startNs) / 1e6;
      const rate = conns.length / Math.max(spanMs / 1000, 0.001);
      const reused = conns.length - ports.size;
      if (reused < thresholds.portPressureReuses && rate < thresholds.portPressureRatePerSecond) return [];
      const min = Math.min(...ports);
      const max = Math.max(...ports);
      const [client, server] = key.split('>');
      return [
        makeFinding('tcp.ephemeral_range_pressure', {
          message: message('tcp.ephemeral_range_pressure', { client, server, connections: conns.length, spanS: spanMs / 1000, perSecond: Math.round(rate), ports: ports.size, lowestPort: min, highestPort: max, reused }),
          frames: conns.slice(0, 20).map((c) => c.firstFrame),
          frameCount: conns.length,
          flow: { client },
          metrics: { connections: conns.length, distinctPorts: ports.size, reusedPorts: reused, connectionsPerSecond: Math.round(rate) },
        }),
      ];
    });
  },
});
