import { isIP } from 'node:net';
import { placeholder, SLOTS, type SlotInfo, type SlotName } from '../cases/command-template.js';

/**
 * What a slot value may look like. Values come from a capture, that is from whoever sent the
 * packets: a DNS name or a Host header could carry `$(...)` or `"; rm -rf`. A value that does not
 * have its slot's shape (an address, a port, a DNS name, a plain URL) is never pasted into a
 * command; the slot shows its placeholder instead.
 */
export type SlotValue = string | readonly string[];
export type SlotValues = Partial<Record<SlotName, SlotValue>>;

const DNS_NAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;
const URL = /^https?:\/\/[A-Za-z0-9._~:%[\]/-]{1,2000}$/;
const INTERFACE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;
const PLACEHOLDER = /^<[A-Z][A-Z0-9_]*>$/;

const isAddress = (v: string) => isIP(v) !== 0;
const isName = (v: string) => DNS_NAME.test(v);

const SHAPES: Record<SlotName, (v: string) => boolean> = {
  server_ip: isAddress,
  server_port: (v) => /^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535,
  server_endpoint: (v) => /^(\[[0-9A-Fa-f:.]+\]|[0-9.]+):\d{1,5}$/.test(v) && isAddress(v.slice(0, v.lastIndexOf(':')).replace(/^\[|\]$/g, '')),
  server_host: (v) => isAddress(v) || isName(v),
  sni: isName,
  url: (v) => URL.test(v),
  client_ip: isAddress,
  dns_server: isAddress,
  dns_servers_answering: isAddress,
  query_name: isName,
  short_name: (v) => isName(v) && !v.includes('.'),
  suffix_list: isName,
  missing_suffix: isName,
  suffix_list_plus_missing: isName,
  ptr_address: isAddress,
  host_name: isName,
  interface: (v) => INTERFACE.test(v),
  interface_guid: (v) => /^\{[0-9A-Fa-f-]{36}\}$/.test(v),
  reverse_zone: isName,
  reverse_label: isName,
  switch_port: (v) => /^[A-Za-z][A-Za-z0-9/.:-]{0,40}$/.test(v),
  cipher_suite: (v) => /^[A-Z0-9_]{4,80}$/.test(v),
};

/** The value as it may be pasted, or null when it lacks the slot's shape (a list item may be a placeholder). */
export function safeValue(name: SlotName, value: SlotValue | undefined): SlotValue | null {
  if (value === undefined) return null;
  const list = (SLOTS[name] as SlotInfo).list === true;
  if (typeof value === 'string') return !list && SHAPES[name](value) ? value : null;
  if (!list || value.length === 0) return null;
  return value.every((v) => PLACEHOLDER.test(v) || SHAPES[name](v)) ? value : null;
}

/** A list value as the shell writes a list: PowerShell "a","b"; registry, cmd, netsh and SQL a,b; bash and text a b. */
export function joinList(values: readonly string[], shell: string): string {
  if (shell === 'powershell') return values.map((v) => `"${v}"`).join(',');
  if (shell === 'bash' || shell === 'text') return values.join(' ');
  return values.join(',');
}

/** An address as it goes before `:port` or into a URL: IPv6 in brackets. */
export const bracketed = (host: string): string => (host.includes(':') ? `[${host}]` : host);

export { placeholder };
