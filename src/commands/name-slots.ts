import { hostOf, type FindingLike, type SourceName } from './slot-source.js';
import { placeholder, type SlotValues } from './slot-shapes.js';

/**
 * The slots about names: the DNS server and the name asked, the suffix search a short name went
 * through, and the address whose reverse lookup stalled. All read from the capture's name
 * transactions (DNS, LLMNR, NetBIOS); `client` narrows them to the focus host when it is known.
 */
const A = 1;
const AAAA = 28;
const PTR = 12;
const NBSTAT = 33;

/** Codes whose finding names the DNS server itself as its server. */
const DNS_SERVER_CODES = new Set(['dns.no_response', 'dns.slow_response', 'dns.error_rcode']);

const failed = (t: SourceName) => t.status === 'unanswered' || t.rcode > 0 || (t.status === 'no_response_in_capture' && t.retransmitFrames.length > 0);
const dnsOnly = (names: readonly SourceName[]) => names.filter((t) => t.protocol === 'dns');

export function dnsSlots(names: readonly SourceName[], focus: FindingLike | null, client: string | null): SlotValues {
  const dns = dnsOnly(names).filter((t) => client === null || hostOf(t.client) === client);
  const focusServer = focus !== null && DNS_SERVER_CODES.has(focus.code) && focus.flow !== null && 'server' in focus.flow ? hostOf(focus.flow.server) : null;
  const server = focusServer ?? mostCommon(dns.filter(failed).map((t) => hostOf(t.server))) ?? mostCommon(dns.map((t) => hostOf(t.server)));
  if (server === null) return {};
  const asked = dns.filter((t) => hostOf(t.server) === server && t.name !== '' && t.name !== '<Root>');
  const rcode = focus?.code === 'dns.error_rcode' ? focus.metrics.rcode : undefined;
  const query =
    (rcode !== undefined ? asked.find((t) => t.rcode === rcode) : undefined) ??
    (focus?.code === 'dns.slow_response' ? [...asked].sort((a, b) => b.responseTimeMs - a.responseTimeMs)[0] : undefined) ??
    asked.find(failed) ??
    asked[0];
  const answering = [...new Set(dns.filter((t) => t.status === 'answered' && t.rcode >= 0).map((t) => hostOf(t.server)))].filter((s) => s !== server);
  return {
    dns_server: server,
    ...(query !== undefined ? { query_name: query.name.replace(/\.$/, '') } : {}),
    ...(answering.length > 0 ? { dns_servers_answering: answering } : {}),
  };
}

/**
 * A short name and the suffixes tried for it. The candidates are names without a dot the client
 * asked (by DNS, LLMNR or NetBIOS, as Windows does after DNS fails), and first labels the client's
 * failed queries share under two or more suffixes; the one tried with the most suffixes wins.
 * The suffixes come in the order the client tried them: its effective search list.
 */
export function suffixSlots(names: readonly SourceName[], client: string | null): SlotValues {
  const mine = names.filter((t) => client === null || hostOf(t.client) === client);
  const lookups = dnsOnly(mine).filter((t) => (t.qtype === A || t.qtype === AAAA) && t.name.includes('.'));
  const bare = new Set(mine.map((t) => t.name.replace(/<[0-9A-Fa-f]{2}>$/, '').trim().toLowerCase()).filter((n) => n !== '' && !n.includes('.') && n !== '<root>'));
  const byLabel = new Map<string, SourceName[]>();
  for (const t of [...lookups].sort((a, b) => a.queryFrame - b.queryFrame)) {
    const label = t.name.split('.')[0].toLowerCase();
    byLabel.set(label, [...(byLabel.get(label) ?? []), t]);
  }
  let best: { short: string; suffixes: string[]; missing: string | null } | null = null;
  for (const [short, list] of byLabel) {
    const suffixOf = (t: SourceName) => t.name.slice(short.length + 1).replace(/\.$/, '').toLowerCase();
    const found = list.find((t) => t.status === 'answered' && t.rcode === 0 && t.answers.length > 0);
    const suffixes = [...new Set(list.filter(failed).map(suffixOf))].filter((s) => s !== '' && (found === undefined || s !== suffixOf(found)));
    if (suffixes.length === 0 || (!bare.has(short) && suffixes.length < 2)) continue;
    if (best === null || suffixes.length > best.suffixes.length) best = { short, suffixes, missing: found === undefined ? null : suffixOf(found) };
  }
  if (best === null) return {};
  return {
    short_name: best.short,
    suffix_list: best.suffixes,
    suffix_list_plus_missing: [...best.suffixes, best.missing ?? placeholder('missing_suffix')],
    ...(best.missing !== null ? { missing_suffix: best.missing } : {}),
  };
}

/**
 * The address whose reverse lookup failed or stalled (a PTR query from the focus host, decoded;
 * seen from the other side, the address the host probed by NetBIOS node status), and the name a
 * forward answer in the capture gave that address (or the PTR answer itself, when one came late).
 */
export function reverseSlots(names: readonly SourceName[], host: string | null): SlotValues {
  const from = (t: SourceName) => host === null || hostOf(t.client) === host;
  const ptrs = dnsOnly(names).filter((t) => t.qtype === PTR && from(t));
  const slow = (t: SourceName) => failed(t) || t.responseTimeMs > 1000 || t.status !== 'answered';
  const ptr = ptrs.find(slow) ?? ptrs[0];
  const probed = names.find((t) => t.protocol === 'nbns' && t.qtype === NBSTAT && from(t));
  const address = ptr !== undefined ? addressOfPtr(ptr.name) : probed !== undefined ? hostOf(probed.server) : null;
  if (address === null) return {};
  const forward = dnsOnly(names).find((t) => (t.qtype === A || t.qtype === AAAA) && t.answers.includes(address));
  const hostName = forward?.name ?? (ptr?.rcode === 0 ? ptr.answers[0] : undefined);
  return { ptr_address: address, ...(hostName !== undefined && hostName !== '' ? { host_name: hostName.replace(/\.$/, '') } : {}) };
}

/** `5.0.0.10.in-addr.arpa` -> `10.0.0.5`; a full ip6.arpa name -> the IPv6 address; else null. */
export function addressOfPtr(name: string): string | null {
  const n = name.toLowerCase().replace(/\.$/, '');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(n);
  if (v4 !== null) return v4.slice(1, 5).reverse().join('.');
  const v6 = /^((?:[0-9a-f]\.){32})ip6\.arpa$/.exec(n);
  if (v6 === null) return null;
  const nibbles = v6[1].split('.').filter((x) => x !== '').reverse().join('');
  const groups = nibbles.match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, ''));
  return compressV6(groups);
}

/** RFC 5952: the longest run of two or more zero groups becomes "::". */
function compressV6(groups: string[]): string {
  let start = -1;
  let length = 0;
  for (let i = 0; i < groups.length; ) {
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > length && j - i >= 2) [start, length] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (start < 0) return groups.join(':');
  return `${groups.slice(0, start).join(':')}::${groups.slice(start + length).join(':')}`;
}

function mostCommon(values: string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of counts) if (best === null || n > counts.get(best)!) best = v;
  return best;
}
