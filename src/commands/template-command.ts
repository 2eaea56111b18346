import type { SlotName } from '../cases/command-template.js';
import type { SlotValues } from './slot-shapes.js';

/**
 * The reverse of fillCommand, for `investigations export`: a command line an engineer typed with
 * the capture's values (`nslookup app.corp.local 10.20.0.53`) becomes a template
 * (`nslookup {query_name} {dns_server}`). Values are replaced as whole tokens, the most specific
 * slots first (an endpoint before its address; the DNS server and the looked-up address before
 * the generic server address); a port only where a port is written (`:443`, `-Port 443`,
 * `-p 443`, `port 443`). What is not recognised stays literal, for a person (and the lint) to see.
 */
const ORDER: SlotName[] = ['url', 'server_endpoint', 'query_name', 'host_name', 'sni', 'ptr_address', 'dns_server', 'server_ip', 'server_host', 'client_ip', 'short_name'];

export function templateCommand(text: string, slots: SlotValues): string {
  let out = text;
  const taken = new Set<string>();
  for (const name of ORDER) {
    const value = slots[name];
    if (typeof value !== 'string' || value === '' || taken.has(value.toLowerCase())) continue;
    taken.add(value.toLowerCase());
    const after = value.includes(':') ? '(?![\\w{-]|\\.\\w|:[0-9a-f])' : '(?![\\w{-]|\\.\\w)';
    out = out.replace(new RegExp(`(?<![\\w.:{-])${escape(value)}${after}`, 'gi'), `{${name}}`);
  }
  const port = slots.server_port;
  if (typeof port === 'string') out = out.replace(new RegExp(`((?<![\\w}]):|-Port |-p |\\bport )${port}(?!\\d)`, 'g'), `$1{server_port}`);
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
