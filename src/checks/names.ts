import { endpointHost, endpointPort } from '../flows/endpoints.js';
import { dnsRcodeName } from '../decode/dns-names.js';
import { makeFinding } from '../findings/finding.js';
import { message } from '../findings/messages.js';
import { defineCheck, groupBy } from './check.js';

/** The first three names asked (those that could be read), and whether there were more. */
function askedNames(list: readonly { name: string }[]): { names: string[]; more: boolean } {
  const asked = [...new Set(list.map((t) => t.name).filter((n) => n !== ''))];
  return { names: asked.slice(0, 3), more: asked.length > 3 };
}

/** DNS queries the capture saw go unanswered for 5 s or more, per server. */
export const dnsNoResponse = defineCheck({
  code: 'dns.no_response',
  description: 'DNS queries without an answer',
  run: ({ names, icmpErrors }) => {
    const dns = names.filter((t) => t.protocol === 'dns');
    // A query answered by an ICMP unreachable (port closed, or a filter that rejects) was refused.
    const refused = new Set(icmpErrors.filter((e) => e.proto === 17 && e.dstPort === 53 && ((e.version === 4 && e.type === 3) || (e.version === 6 && e.type === 1))).map((e) => `${e.dst}|${e.srcPort}`));
    // Unanswered for 5 s of capture, or asked again and again (a resolver retrying, from the same
    // or new ports) over at least a second with no answer to any attempt: the client gave up on them.
    const questions = groupBy(dns, (t) => `${t.server}|${t.name.toLowerCase()}|${t.qtype}`);
    const lost = [...questions.values()].filter((list) => {
      if (list.some((t) => t.status === 'unanswered' || refused.has(`${endpointHost(t.server)}|${endpointPort(t.client)}`))) return true;
      if (list.some((t) => t.status === 'answered')) return false;
      const attempts = list.reduce((n, t) => n + 1 + t.retransmitFrames.length, 0);
      const span = Math.max(...list.map((t) => t.queryNs)) - Math.min(...list.map((t) => t.queryNs));
      return attempts >= 2 && (span >= 1e9 || list.some((t) => t.retransmitFrames.length > 0));
    });
    return [...groupBy(lost.flat().filter((t) => t.status !== 'answered'), (t) => t.server)].map(([server, list]) =>
      makeFinding('dns.no_response', {
        message: message('dns.no_response', { queries: list.length, server, lookupServer: server.replace(/:53$/, ''), ...askedNames(list) }),
        frames: list.map((t) => t.queryFrame),
        flow: { server },
        metrics: { unanswered: list.length },
      }),
    );
  },
});

/** Answers slower than thresholds.dnsSlowMs, per server. */
export const dnsSlowResponse = defineCheck({
  code: 'dns.slow_response',
  description: 'slow DNS answers',
  run: ({ names, thresholds }) =>
    [...groupBy(names.filter((t) => t.protocol === 'dns' && t.status === 'answered' && t.responseTimeMs > thresholds.dnsSlowMs), (t) => t.server)].map(([server, list]) => {
      const worst = Math.max(...list.map((t) => t.responseTimeMs));
      return makeFinding('dns.slow_response', {
        message: message('dns.slow_response', { answers: list.length, server, thresholdMs: thresholds.dnsSlowMs, worstMs: Math.round(worst), retried: list.some((t) => t.retransmitFrames.length > 0) }),
        frames: list.flatMap((t) => [t.queryFrame, t.responseFrame]),
        flow: { server },
        metrics: { slowAnswers: list.length, worstMs: Math.round(worst) },
      });
    }),
});

/** Error rcodes: SERVFAIL and REFUSED are high; NXDOMAIN is informational unless part of a pattern. */
export const dnsErrorRcode = defineCheck({
  code: 'dns.error_rcode',
  description: 'DNS error responses',
  run: ({ names }) =>
    [...groupBy(names.filter((t) => t.protocol === 'dns' && t.rcode > 0), (t) => `${t.server}|${t.rcode}`)].map(([key, list]) => {
      const rcode = list[0].rcode;
      const name = dnsRcodeName(rcode);
      const server = key.split('|')[0];
      const serious = rcode === 2 || rcode === 5;
      return makeFinding('dns.error_rcode', {
        severity: serious ? 'high' : 'info',
        message: message('dns.error_rcode', { server, rcodeName: name, queries: list.length, names: list.slice(0, 3).map((t) => t.name), more: list.length > 3, serious }),
        frames: list.map((t) => t.responseFrame),
        flow: { server },
        metrics: { responses: list.length, rcode },
        confidence: 1,
      });
    }),
});
