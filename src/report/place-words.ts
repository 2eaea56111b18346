import type { Finding, FindingPlace } from '../findings/finding.js';
import { endpointHost } from '../flows/endpoints.js';
import type { Lang } from './words.js';

/**
 * Where a grouped finding is and how much of it there is, in words: "In 7 of 2,000 conversations
 * with files.netcase.test:80 (10.83.2.2); the worst is shown." Null for a finding that covers one
 * thing at one place, which its summary already describes.
 */
export function scopeLine(f: Pick<Finding, 'place' | 'count' | 'affected'>, lang: Lang): string | null {
  const perConversation = f.affected.length > 0 && 'proto' in f.affected[0];
  const p = f.place;
  if (f.count <= 1 && p.hosts <= 1) return null;
  const where = placeText(p, lang);
  const n = (x: number) => x.toLocaleString('en-US');
  if (lang === 'zh') {
    if (perConversation) return `${where}的 ${n(p.conversations)} 个连接中有 ${n(f.count)} 个${f.count > 1 ? '；下面是最严重的一个' : ''}。`;
    return `共 ${n(f.count)} 次，${where}。`;
  }
  if (perConversation) return `In ${n(f.count)} of ${n(p.conversations)} conversations ${where}${f.count > 1 ? '; the worst is shown' : ''}.`;
  return `${n(f.count)} in all, ${where}.`;
}

/** "with svc.example:443 (192.0.2.1, 2001:db8::1)", "at port 443 on 40 servers", ... */
export function placeText(p: FindingPlace, lang: Lang): string {
  const hosts = p.addresses.map(endpointHost);
  const listed = [...new Set(hosts)].slice(0, 3).join(lang === 'zh' ? '、' : ', ');
  const more = new Set(hosts).size > 3 ? (lang === 'zh' ? ' 等' : ', ...') : '';
  const port = p.port === null ? '' : `:${p.port}`;
  if (lang === 'zh') {
    switch (p.kind) {
      case 'server':
        return p.name !== null ? `与 ${p.name}${port}（${listed}${more}）` : `与 ${p.addresses[0] ?? ''}`;
      case 'service':
        return `在 ${p.hosts} 台服务器的 ${p.port} 端口`;
      case 'client':
        return `客户端 ${listed}${more}`;
      default:
        return p.hosts > 1 ? `整个抓包中，涉及 ${p.hosts} 台主机（${listed}${more}）` : '整个抓包中';
    }
  }
  switch (p.kind) {
    case 'server':
      return p.name !== null ? `with ${p.name}${port} (${listed}${more})` : `with ${p.addresses[0] ?? ''}`;
    case 'service':
      return `at port ${p.port} on ${p.hosts} servers`;
    case 'client':
      return `from client ${listed}${more}`;
    default:
      return p.hosts > 1 ? `across the capture, at ${p.hosts} hosts (${listed}${more})` : 'across the capture';
  }
}
