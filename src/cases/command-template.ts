/**
 * The command templates of case pages (case-library/README.md, "### commands"): the named slots a
 * command may contain, what each one means and where its value comes from, each command's effect,
 * and the lint that keeps example values that look real out of the pages. src/commands/ fills the
 * slots from an analysis; this file is only the vocabulary, so the page parser can check it.
 */

/** check: reads or observes, changes no setting; change: sets something; replace: overwrites a whole list or range. */
export const COMMAND_EFFECTS = ['check', 'change', 'replace'] as const;
export type CommandEffect = (typeof COMMAND_EFFECTS)[number];

export interface SlotInfo {
  /** What the value is. */
  meaning: string;
  /** Where src/commands/ takes it from; "not in a capture" for what only the reader knows. */
  source: string;
  /** Several values, joined as the command's shell needs (PowerShell "a","b"; registry and cmd a,b; bash and text a b). */
  list?: true;
  /** Built from the current value the capture showed, so a `replace` command that uses it appends instead of overwriting. */
  current?: true;
}

export const SLOTS = {
  server_ip: { meaning: "the server's address: the side that was connected to or asked", source: "the focus finding's responder or server (else the first finding that names one; else a TLS or HTTP exchange)" },
  server_port: { meaning: "the server's port", source: 'the same endpoint as server_ip, when it has a port' },
  server_endpoint: { meaning: 'server_ip:server_port as connect strings take it (IPv6 in brackets), e.g. for openssl s_client -connect', source: 'server_ip and server_port' },
  server_host: { meaning: 'the server as a client names it, else its address', source: 'TLS SNI or HTTP Host of a conversation with server_ip, else a DNS answer that returned server_ip, else server_ip' },
  sni: { meaning: 'the TLS server name the client asked for (ClientHello server_name)', source: "the focus conversation's TLS session, else a TLS session with server_ip" },
  url: { meaning: 'the URL the client asked for (without its query string)', source: 'http://Host/path of an HTTP request to server_ip; https://SNI/ for TLS (the path is encrypted); http:// or https:// server_host for ports 80, 8080, 443 and 8443' },
  client_ip: { meaning: "the client's address", source: "the focus finding's originator or client (else the first finding that names one)" },
  dns_server: { meaning: 'the DNS server that failed, or that the client asked', source: "a DNS finding's server, else the server of the client's failing DNS queries, else the server most queries went to" },
  dns_servers_answering: { meaning: 'DNS servers that did answer in the capture, other than dns_server', source: 'DNS transactions with a response', list: true },
  query_name: { meaning: 'the name looked up', source: "a failing query to dns_server (unanswered, or the focus finding's error code), else the slowest, else the first name asked" },
  short_name: { meaning: 'the single-label name the user typed (reports, fileserv)', source: 'a name without a dot the client asked by DNS, LLMNR or NetBIOS, or the first label its failed suffixed queries share' },
  suffix_list: { meaning: 'the DNS suffixes the client tried for short_name, in the order tried: its effective search list', source: "the client's failed queries short_name.<suffix>", list: true, current: true },
  missing_suffix: { meaning: 'the suffix under which short_name exists', source: 'a suffixed query for short_name that DNS answered; otherwise not in a capture' },
  suffix_list_plus_missing: { meaning: 'suffix_list with missing_suffix appended: the list to set, keeping what the client already tries', source: 'suffix_list and missing_suffix', list: true, current: true },
  ptr_address: { meaning: 'the address whose reverse (PTR) lookup failed or stalled', source: 'a PTR query (in-addr.arpa, ip6.arpa) of the focus host, decoded' },
  host_name: { meaning: 'the DNS name that belongs to ptr_address', source: 'a forward DNS answer in the capture that returned ptr_address; otherwise not in a capture' },
  interface: { meaning: 'the network interface on the host where the command runs (Linux eth0 or ens192, Windows the adapter name)', source: 'the capture file interface name (pcapng) when it names one plain name; otherwise not in a capture' },
  interface_guid: { meaning: "the adapter's GUID with its braces, as Get-NetAdapter shows InterfaceGuid", source: 'not in a capture' },
  reverse_zone: { meaning: 'the reverse lookup zone that holds ptr_address on the DNS server (Get-DnsServerZone lists them)', source: 'not in a capture: how the zone is cut is the DNS server admin\'s choice' },
  reverse_label: { meaning: 'the part of ptr_address reversed below reverse_zone (the last octet in a /24 IPv4 zone)', source: 'not in a capture' },
  switch_port: { meaning: 'the switch port to mirror (the one the affected host is connected to)', source: 'not in a capture' },
  cipher_suite: { meaning: 'the cipher suite the other side needs, by its IANA name', source: 'not in a capture (the ClientHello lists the client\'s; the server\'s choice is in Wireshark)' },
} as const satisfies Record<string, SlotInfo>;

export type SlotName = keyof typeof SLOTS;
export const SLOT_NAMES = Object.keys(SLOTS) as SlotName[];

/**
 * `{name}`: a lowercase name in braces. Not a slot when `$` or `%` comes right before the brace
 * (shell `${var}`, curl `-w "%{time_total}"`). Anything else in braces (PowerShell `@{...}`,
 * `{ script }`) has a space, an `=` or capitals and is not a slot either.
 */
const SLOT_PATTERN = /(?<![$%])\{([a-z][a-z0-9_]*)\}/g;

export function slotPattern(): RegExp {
  return new RegExp(SLOT_PATTERN.source, 'g');
}

/** The slot names a command mentions, in order, each once (unknown ones included, for the lint). */
export function slotsIn(command: string): string[] {
  return [...new Set([...command.matchAll(slotPattern())].map((m) => m[1]))];
}

export const isSlotName = (name: string): name is SlotName => Object.hasOwn(SLOTS, name);

/** The placeholder shown for a slot the capture cannot fill: `<SERVER_IP>`. */
export const placeholder = (name: string): string => `<${name.toUpperCase()}>`;

/** Loopback and "any" addresses are what they are, never an example. */
const PLAIN_ADDRESSES = new Set(['127.0.0.1', '0.0.0.0', '::1', '::']);

/**
 * Literal values in a command that look like someone's real address, name or interface: any IPv4
 * or IPv6 address other than loopback and "any" (RFC 5737 and RFC 3849 documentation ranges
 * included), names under example.com/.net/.org, .example, .test or .invalid (RFC 2606, RFC 6761),
 * Microsoft's sample companies, and the interface names pages used as examples. A template says
 * these with a slot instead.
 */
export function exampleValuesIn(command: string): string[] {
  const found: string[] = [];
  for (const m of command.matchAll(/(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?![\w.])/g)) if (!PLAIN_ADDRESSES.has(m[1])) found.push(m[1]);
  for (const m of command.matchAll(/(?<![\w:.[])([0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})(?![\w:])/gi)) {
    const token = m[1];
    if (PLAIN_ADDRESSES.has(token)) continue;
    // An IPv6 address has "::" or at least 4 colons (a time such as 1:00:00 has neither).
    if (token.includes('::') || token.split(':').length >= 5) found.push(token);
  }
  for (const m of command.matchAll(/(?<![\w-])((?:[a-z0-9-]+\.)*(?:example|contoso|fabrikam|woodgrove|adatum|northwindtraders)(?:\.[a-z0-9-]+)*|(?:[a-z0-9-]+\.)+(?:test|invalid))(?![\w-])/gi)) found.push(m[1]);
  for (const m of command.matchAll(/(?<![\w-])(eth\d+|ens\d+|enp\d+s\d+|Gi\d+(?:\/\d+){1,2})(?![\w/])|"(Ethernet(?: \d+)?|Wi-Fi)"/g)) found.push(m[1] ?? m[2]);
  return [...new Set(found)];
}

export interface CommandFields {
  shell: string;
  command: string;
  effect: string;
  risk: string;
  reboot: boolean;
}

/** What is wrong with one command's template and effect (empty when nothing is). */
export function lintCommand(c: CommandFields): string[] {
  const problems: string[] = [];
  const slots = slotsIn(c.command);
  for (const name of slots) if (!isSlotName(name)) problems.push(`unknown slot {${name}} (the slots are listed in case-library/README.md)`);
  for (const value of exampleValuesIn(c.command)) problems.push(`"${value}" looks like a real value; write a slot such as {server_ip}, {query_name} or {interface} instead`);
  if (/<[A-Z][A-Z0-9_]*>/.test(c.command)) problems.push('write a slot ({name}), not a placeholder (<NAME>): netcase shows the placeholder itself when it cannot fill the slot');
  if (!(COMMAND_EFFECTS as readonly string[]).includes(c.effect)) {
    problems.push(`effect must be ${COMMAND_EFFECTS.join(', ')} (found "${c.effect}")`);
    return problems;
  }
  const readOnly = /^none\b/i.test(c.risk);
  if (c.effect === 'check' && c.reboot) problems.push('a check changes nothing, so it cannot need a reboot');
  if (c.effect === 'check' && (c.shell === 'registry' || c.shell === 'text')) problems.push(`a ${c.shell} value is a setting to make: its effect is change or replace`);
  if (c.effect !== 'check' && readOnly) problems.push(`a ${c.effect} must say its risk (found "${c.risk}")`);
  if (c.effect === 'replace' && !slots.some((s) => isSlotName(s) && (SLOTS[s] as SlotInfo).current) && !/^Replaces\b/.test(c.risk)) {
    problems.push('a replace must be built from the current value (a slot such as {suffix_list_plus_missing}) or its risk must begin "Replaces"');
  }
  return problems;
}
