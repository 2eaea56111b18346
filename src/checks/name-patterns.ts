import type { NameTransaction } from '../flows/dns-transactions.js';
import { endpointHost } from '../flows/endpoints.js';
import { makeFinding } from '../findings/finding.js';
import { message } from '../findings/messages.js';
import { defineCheck, groupBy } from './check.js';

const failed = (t: NameTransaction) => t.rcode === 3 || t.status === 'unanswered';
const firstLabel = (name: string) => name.split('.')[0].toLowerCase();

/** A name without a dot sent to a DNS server and answered NXDOMAIN. */
export const singleLabelToDns = defineCheck({
  code: 'dns.single_label_to_dns',
  description: 'a short name sent to DNS as it is, answered NXDOMAIN',
  run: ({ names }) =>
    [...groupBy(names.filter((t) => t.protocol === 'dns' && !t.name.includes('.') && t.name !== '<Root>' && failed(t)), (t) => `${t.client.replace(/:\d+$/, '')}|${t.name.toLowerCase()}`)].map(([key, list]) =>
      makeFinding('dns.single_label_to_dns', {
        message: message('dns.single_label_to_dns', { client: key.split('|')[0], name: list[0].name, nxdomain: list[0].rcode === 3 }),
        frames: list.map((t) => t.queryFrame),
        flow: { client: key.split('|')[0] },
        metrics: { queries: list.length },
      }),
    ),
});

/** A short name and its suffixed variants all failed: report the suffixes tried. */
export const suffixSearchExhaustion = defineCheck({
  code: 'dns.suffix_search_exhaustion',
  description: 'a short name failed with every DNS suffix the client tried',
  run: ({ names }) => {
    const dns = names.filter((t) => t.protocol === 'dns' && (t.qtype === 1 || t.qtype === 28));
    const byClient = groupBy(dns, (t) => t.client.replace(/:\d+$/, ''));
    return [...byClient].flatMap(([client, list]) => {
      const shorts = new Set(list.filter((t) => !t.name.includes('.')).map((t) => t.name.toLowerCase()));
      return [...shorts].flatMap((short) => {
        const bare = list.filter((t) => t.name.toLowerCase() === short);
        if (!bare.every(failed)) return [];
        // The search pass: suffixed variants asked within a few seconds of the bare name, all failing.
        const start = Math.min(...bare.map((t) => t.queryNs));
        const related = list.filter((t) => firstLabel(t.name) === short && t.name.includes('.'));
        const variants = related.filter((t) => Math.abs(t.queryNs - start) < 5e9 && failed(t));
        const suffixes = [...new Set(variants.map((t) => t.name.slice(short.length + 1).toLowerCase()))];
        if (suffixes.length === 0 || related.some((t) => Math.abs(t.queryNs - start) < 5e9 && t.status === 'answered' && t.rcode === 0 && !failed(t) && t.queryNs < Math.max(...variants.map((v) => v.queryNs)))) return [];
        const resolved = related.find((t) => t.status === 'answered' && t.rcode === 0);
        return [
          makeFinding('dns.suffix_search_exhaustion', {
            message: message('dns.suffix_search_exhaustion', { client, short, suffixes, resolvedAs: resolved?.name ?? '', resolvedSuffix: resolved?.name.slice(short.length + 1) ?? '' }),
            frames: variants.map((t) => t.queryFrame),
            flow: { client },
            metrics: { suffixesTried: suffixes.length },
          }),
        ];
      });
    });
  },
});

/** LLMNR or NBNS queries for a name right after DNS failed for it. */
export const fallbackLlmnrNbns = defineCheck({
  code: 'name.fallback_llmnr_nbns',
  description: 'LLMNR or NetBIOS queries for a name after DNS failed for it',
  run: ({ names }) => {
    const dnsFailures = names.filter((t) => t.protocol === 'dns' && failed(t));
    const fallbacks = names.filter((t) => (t.protocol === 'llmnr' || t.protocol === 'nbns') && dnsFailures.some((d) => firstLabel(d.name) === firstLabel(t.name.replace(/<..>$/, '')) && t.queryNs >= d.queryNs && t.queryNs - d.queryNs < 10e9));
    if (fallbacks.length === 0) return [];
    return [
      makeFinding('name.fallback_llmnr_nbns', {
        message: message('name.fallback_llmnr_nbns', { protocols: [...new Set(fallbacks.map((t) => t.protocol.toUpperCase()))], names: [...new Set(fallbacks.map((t) => t.name))].slice(0, 3) }),
        frames: fallbacks.map((t) => t.queryFrame),
        metrics: { fallbackQueries: fallbacks.length },
        confidence: 0.8,
      }),
    ];
  },
});

/** A reverse lookup of a peer's address makes the host wait before its next packet to that peer. */
export const ptrLookupStall = defineCheck({
  code: 'dns.ptr_lookup_stall',
  description: "a reverse lookup of the peer's address holds up the host's answer",
  run: ({ ptrWatches, names, thresholds }) =>
    ptrWatches.flatMap((w) => {
      if (w.nextPacketFrame === 0) return [];
      const waitMs = (w.nextPacketNs - w.queryNs) / 1e6;
      if (waitMs < thresholds.ptrStallMs) return [];
      const lookup = names.find((t) => t.queryFrame === w.queryFrame);
      const answered = lookup !== undefined && lookup.status === 'answered';
      return [
        makeFinding('dns.ptr_lookup_stall', {
          message: message('dns.ptr_lookup_stall', {
            host: w.hostIp,
            peer: w.peerIp,
            queryFrame: w.queryFrame,
            outcome: !answered ? 'none' : lookup.rcode === 0 ? 'answer' : 'error',
            answerMs: answered ? Math.round(lookup.responseTimeMs) : 0,
            waitMs: Math.round(waitMs),
            nextFrame: w.nextPacketFrame,
            nbnsQueries: w.nbnsFrames.length,
          }),
          frames: [w.queryFrame, ...w.nbnsFrames, w.nextPacketFrame],
          flow: { server: w.hostIp },
          metrics: { waitMs: Math.round(waitMs) },
        }),
      ];
    }),
});

/** NetBIOS name queries to the peer inside such a delay: the Windows fallback of reverse resolution. */
export const nbnsNodeStatusProbe = defineCheck({
  code: 'nbns.node_status_probe',
  description: 'NetBIOS queries to a peer while the host waits on resolving it',
  run: ({ ptrWatches, names, tcp, thresholds }) => {
    const findings = ptrWatches
      .filter((w) => w.nbnsFrames.length > 0 && w.nextPacketFrame > 0 && (w.nextPacketNs - w.queryNs) / 1e6 >= thresholds.ptrStallMs)
      .map((w) =>
        makeFinding('nbns.node_status_probe', {
          message: message('nbns.node_status_probe.server', { host: w.hostIp, peer: w.peerIp, queries: w.nbnsFrames.length, waitMs: Math.round((w.nextPacketNs - w.queryNs) / 1e6) }),
          frames: w.nbnsFrames,
          flow: { server: w.hostIp },
          metrics: { nbnsQueries: w.nbnsFrames.length },
        }),
      );
    if (findings.length > 0) return findings;
    // Seen from the client (its server's PTR query is elsewhere): the server sends NetBIOS
    // node-status queries to the client while the client waits for its answer.
    for (const c of tcp) {
      const server = c.responder.ip;
      const client = c.origin.ip;
      for (const x of c.http?.exchanges ?? []) {
        if (x.responseNs < 0 || (x.responseNs - x.requestNs) / 1e6 < thresholds.ptrStallMs) continue;
        const probes = names.filter((t) => t.protocol === 'nbns' && t.qtype === 33 && endpointHost(t.client) === server && endpointHost(t.server) === client && t.queryNs > x.requestNs && t.queryNs < x.responseNs);
        if (probes.length === 0) continue;
        findings.push(
          makeFinding('nbns.node_status_probe', {
            message: message('nbns.node_status_probe.client', { client, server, waitMs: Math.round((x.responseNs - x.requestNs) / 1e6), queries: probes.length, frame: probes[0].queryFrame }),
            frames: [x.requestFrame, ...probes.map((t) => t.queryFrame), x.responseFrame],
            flow: { server },
            metrics: { nbnsQueries: probes.length, waitMs: Math.round((x.responseNs - x.requestNs) / 1e6) },
            confidence: 0.8,
          }),
        );
        break;
      }
    }
    return findings;
  },
});

