/**
 * The numbers the checks decide by, each with why. A team may override any of them in one JSON
 * file (NETCASE_THRESHOLDS=path, see README): `applyThresholdOverrides` checks names and types.
 */
export const THRESHOLDS = {
  /** Retransmitted over unique payload bytes: above 1% TCP throughput suffers visibly (RFC 3649-era rule of thumb); 5% is severe. */
  retransmissionRatio: 0.01,
  retransmissionRatioHigh: 0.05,
  /** Ignore connections with less payload than this: a single retransmitted segment of a short exchange is noise. */
  retransmissionMinBytes: 20_000,
  /** ...and with fewer retransmitted segments than this: one resend (often spurious, a D-SACK says so) is not a lossy path. */
  retransmissionMinSegments: 2,
  /** A DNS answer slower than this stalls every application waiting on it (resolvers retry after 1 s). */
  dnsSlowMs: 500,
  /** An HTTP response slower than this is noticed by people. */
  httpSlowMs: 1000,
  /** More than this share of connections one-sided means the capture point saw one direction. */
  oneDirectionShare: 0.8,
  /** At least this many connections before capture-wide ratios mean anything. */
  minConnectionsForRatios: 5,
  /** ACKs for unseen data above this share of data segments: the capture dropped packets. */
  ackedUnseenRatio: 0.001,
  /** ...and at least this many: one ACK of unseen data happens at every capture start or stale ACK. */
  ackedUnseenMin: 3,
  /** A handshake this slow (and 10x the capture's median) is not the network's usual RTT. */
  slowHandshakeMs: 200,
  /** A handshake this slow is slow whatever the other connections do (one connection, or all slow): above a geostationary satellite's ~600 ms round trip, the slowest path in ordinary use. */
  slowHandshakeAbsoluteMs: 700,
  /** The shortest initial retransmission timeout is 200 ms (Linux) to 300 ms (Windows); a second of silence is a stall users feel. */
  rtoStallMs: 1000,
  /** Filling the window this often in one connection means the window, not the network, sets the pace. */
  windowFullSegments: 5,
  /** TIME_WAIT is 2*MSL: 60 s on Linux, 120 s (TcpTimedWaitDelay) by default on Windows; a tuple reused sooner risks stale state. */
  timeWaitMs: 60_000,
  /** Port pressure: at least this many connections from one client to one server... */
  portPressureConnections: 200,
  /** ...reusing this many ports, or opening this many connections per second. */
  portPressureReuses: 20,
  portPressureRatePerSecond: 100,
  /** The first request this many times slower than the median of the later ones (and 1 s slower) is a first-request penalty. */
  firstRequestFactor: 5,
  /** A reverse lookup that makes its host wait this long is a stall (resolvers time out after 1-2 s per server). */
  ptrStallMs: 500,
  /**
   * Grouping (checks/group-findings.ts): one finding per code and place. A code found at more places
   * than this is folded, first by service port, then into one capture-wide finding: a list a person
   * reads, not one line per server.
   */
  groupMaxPlaces: 5,
  /**
   * A symptom that comes and goes (resends, resets, slow answers, aborts) in under this share of the
   * conversations at its place is background, not the problem: low severity, whatever one
   * conversation looked like (1% of connections with one resend each is low).
   */
  groupBackgroundShare: 0.1,
  /** ...judged only with at least this many conversations at the place; fewer say nothing about a share. */
  groupBackgroundMinConversations: 20,
  /** A failure (no answer, refused, TLS refused) in every one of at least this many conversations at its place is high: the service does not work at all. */
  groupAllFailMin: 3,
} as const;

export type Thresholds = { -readonly [K in keyof typeof THRESHOLDS]: number };

/** The defaults with a team's overrides; an unknown name or a non-number is refused, naming it. */
export function applyThresholdOverrides(overrides: Record<string, unknown>): Thresholds {
  const out: Thresholds = { ...THRESHOLDS };
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in THRESHOLDS)) throw new Error(`unknown threshold "${name}" (known: ${Object.keys(THRESHOLDS).join(', ')})`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`threshold "${name}" must be a non-negative number, not ${JSON.stringify(value)}`);
    out[name as keyof Thresholds] = value;
  }
  return out;
}
