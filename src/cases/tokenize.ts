/**
 * Words for the case index, in Chinese and English together. `Intl.Segmenter` alone would split
 * 端口耗尽 into single characters, so Han text is indexed by character bigrams (a lone character
 * stays a unigram); English words are lowercased and lightly stemmed, so "retransmissions" and
 * "retransmitted" meet at "retransmi"-style stems. A curated synonym table adds one shared token
 * per concept, so ECN finds 显式拥塞通告 and port exhaustion finds 端口耗尽.
 */
const HAN = /\p{Script=Han}/u;

export function tokenize(text: string, withSynonyms = true): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  for (const m of lower.matchAll(/\p{Script=Han}+|[a-z0-9][a-z0-9_.+-]*/gu)) {
    const run = m[0];
    if (HAN.test(run[0])) {
      if (run.length === 1) out.push(run);
      for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
    } else {
      for (const part of run.split(/[._+-]+/)) if (part.length >= 2 && !STOP.has(part)) out.push(stem(part));
      if (/[._+-]/.test(run) && run.length >= 3) out.push(run.replace(/[.]+$/, ''));
    }
  }
  if (withSynonyms) for (const s of synonymTokens(lower)) out.push(s);
  return out;
}

const STOP = new Set(['the', 'and', 'or', 'of', 'to', 'in', 'on', 'is', 'it', 'for', 'a', 'an', 'by', 'be', 'as', 'at', 'but', 'not', 'no', 'with', 'from', 'this', 'that', 'are', 'was', 'can', 'cannot', 'does', 'do']);

/** A light suffix stripper (enough to meet plural, past and -ing forms half way). */
export function stem(word: string): string {
  if (word.length <= 4 || /^\d/.test(word)) return word;
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'ions', 'ion', 'ies', 'ied', 'ed', 'es', 'ly', 's']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  }
  return word;
}

/** Concept groups across both languages; every phrase of a group yields the group's token. */
export const SYNONYMS: string[][] = [
  ['ecn', 'explicit congestion notification', '显式拥塞通告', '拥塞通告', 'ecncapability'],
  ['port exhaustion', 'ephemeral port', 'dynamic port', 'port range', '端口耗尽', '端口用尽', '动态端口', '端口不够'],
  ['reverse lookup', 'reverse dns', 'reverse name', 'ptr record', '反向解析', '反向查询', '反解'],
  ['dns suffix', 'suffix search', 'search list', 'short name', 'single label', 'dns 后缀', '后缀', '短名'],
  ['certificate', 'cert', '证书'],
  ['certificate chain', 'intermediate', 'chain', '证书链', '中间证书'],
  ['expired', 'expiry', 'expire', '过期'],
  ['tls', 'ssl', 'https', 'schannel'],
  ['handshake', '握手'],
  ['retransmission', 'retransmit', 'retransmitted', '重传'],
  ['packet loss', 'lossy', 'dropped packets', 'losing packets', '丢包'],
  ['slow', 'latency', 'delay', 'sluggish', '慢', '延迟', '卡顿'],
  ['timeout', 'time out', 'timed out', 'hangs', 'hang', '超时', '卡住'],
  ['reset', 'rst', '重置', '复位'],
  ['connection refused', 'refused', '拒绝连接', '被拒绝'],
  ['firewall', '防火墙'],
  ['mtu', 'pmtu', 'path mtu', 'fragmentation', 'packet too big', '分片', '最大传输单元'],
  ['zero window', 'window full', 'receive window', '零窗口', '接收窗口'],
  ['name resolution', 'resolve', 'nslookup', '域名解析', '解析不了', '解析失败'],
  ['netbios', 'nbns', 'llmnr', 'nbstat'],
  ['download', '下载'],
  ['first request', 'first access', 'cold start', 'after idle', '第一次', '首次', '空闲后'],
  ['capture', 'pcap', 'tcpdump', 'wireshark', 'netmon', 'pktmon', '抓包'],
  ['browser', 'web page', 'website', 'web service', '网页', '网站', '浏览器', '打不开'],
  ['android', '安卓'],
  ['keepalive', 'keep-alive', 'idle timeout', '保活', '空闲超时'],
  ['duplicate', 'span', 'mirror', '重复', '镜像'],
  ['sql', 'database', '数据库'],
  ['servfail', 'server failure'],
  ['nxdomain', 'no such name', 'non-existent domain', '不存在的域名'],
  ['third-party', 'third party', 'vendor', 'partner', 'external service', '第三方', '厂商', '供应商', '合作方', '外部服务'],
  // The contrast a user reports when one kind of machine fails and the others do not.
  ['work fine', 'works fine', 'are fine', 'older ones', 'older servers', 'older machines', 'other machines work', 'others work', 'the rest work', '都正常', '服务器正常', '机器正常', '电脑正常', '其他的正常', '别的电脑能', '别的机器能'],
];

const MATCHERS = SYNONYMS.map((group, i) => ({
  token: `syn:${i}`,
  patterns: group.map((p) => (/\p{Script=Han}/u.test(p) ? new RegExp(escape(p), 'u') : new RegExp(`(^|[^a-z0-9])${escape(p)}`, 'u'))),
}));

function synonymTokens(lower: string): string[] {
  return MATCHERS.filter((m) => m.patterns.some((p) => p.test(lower))).map((m) => m.token);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
