/**
 * The numbers the checks decide by, with why. (A team override file comes with the full catalog.)
 */
export const THRESHOLDS = {
  /** Retransmitted over unique payload bytes: above 1% TCP throughput suffers visibly (RFC 3649-era rule of thumb); 5% is severe. */
  retransmissionRatio: 0.01,
  retransmissionRatioHigh: 0.05,
  /** Ignore connections with less payload than this: a single retransmitted segment of a short exchange is noise. */
  retransmissionMinBytes: 20_000,
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
} as const;
