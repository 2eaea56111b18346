import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleValuesIn, isSlotName, lintCommand, SLOT_NAMES, slotsIn } from '../../src/cases/command-template.js';
import { loadCaseLibrary } from '../../src/cases/load-case-library.js';
import { parseCasePage } from '../../src/cases/parse-case-page.js';

/** The case pages' commands are templates: known slots, an effect, and no example value that looks real. */
const LIBRARY = resolve(import.meta.dirname, '..', '..', 'case-library');
const library = await loadCaseLibrary({ readdir, readFile }, LIBRARY);
const commands = library.cases.flatMap((c) => c.commands.map((cmd, i) => ({ where: `${c.id} command ${i + 1}`, ...cmd })));

describe('the case pages hold command templates', () => {
  it('every page loads, and every command has an effect', () => {
    expect(library.problems).toEqual([]);
    expect(commands.length).toBeGreaterThan(150);
    expect(commands.filter((c) => !['check', 'change', 'replace'].includes(c.effect)).map((c) => c.where)).toEqual([]);
  });

  it('no command carries a literal that looks real: documentation addresses, example.com or contoso names, example interfaces', () => {
    const found = commands.flatMap((c) => exampleValuesIn(c.command).map((v) => `${c.where}: ${v}`));
    expect(found).toEqual([]);
    const raw = commands.map((c) => c.command).join('\n');
    for (const literal of [/\b(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+/, /2001:db8:/i, /example\.(com|net|org)/i, /contoso|fabrikam/i, /\b10\.0\.0\.\d+/, /\beth0\b/, /"Ethernet"/]) expect(raw).not.toMatch(literal);
  });

  it('every slot a page names is in the vocabulary, and the pages use the main ones', () => {
    const used = new Set(commands.flatMap((c) => slotsIn(c.command)));
    expect([...used].filter((s) => !isSlotName(s))).toEqual([]);
    for (const slot of ['server_ip', 'server_port', 'server_endpoint', 'server_host', 'client_ip', 'dns_server', 'query_name', 'sni', 'url', 'short_name', 'suffix_list_plus_missing', 'ptr_address', 'host_name', 'interface']) expect(used).toContain(slot);
    // Every slot of the vocabulary is used by some page, so none is dead documentation.
    expect(SLOT_NAMES.filter((s) => !used.has(s) && s !== 'suffix_list')).toEqual([]);
  });

  it('registry values and configuration lines are settings; read-only commands are checks', () => {
    expect(commands.filter((c) => (c.shell === 'registry' || c.shell === 'text') && c.effect === 'check').map((c) => c.where)).toEqual([]);
    expect(commands.filter((c) => /^none\b/.test(c.risk) && c.effect !== 'check').map((c) => c.where)).toEqual([]);
    expect(commands.filter((c) => c.effect === 'check' && c.reboot).map((c) => c.where)).toEqual([]);
  });

  it('a replace is built from the value the capture showed or says plainly that it replaces', () => {
    const replaces = commands.filter((c) => c.effect === 'replace');
    expect(replaces.map((c) => c.command)).toEqual(
      expect.arrayContaining([
        'Set-DnsClientGlobalSetting -SuffixSearchList @({suffix_list_plus_missing})',
        'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\SearchList = {suffix_list_plus_missing} (REG_SZ)',
        'search {suffix_list_plus_missing}',
        'netsh int ipv4 set dynamicport tcp start=10000 num=55535',
      ]),
    );
    for (const c of replaces) expect(slotsIn(c.command).some((s) => s.startsWith('suffix_list')) || /^Replaces\b/.test(c.risk)).toBe(true);
    // No suffix-list command overwrites the list with values of its own.
    for (const c of commands.filter((x) => /SuffixSearchList|SearchList =|^search |resolvectl domain/.test(x.command))) expect(c.command).toMatch(/\{suffix_list_plus_missing\}/);
  });
});

describe('the command lint', () => {
  const page = (command: string, extra = 'effect: check, risk: "none: read-only", reboot: false') =>
    `---\nid: "x-case"\ntitle: "T"\ntitle_zh: "中"\naliases: ["a"]\nsymptoms: ["s"]\nplatforms: ["linux"]\nsignatures:\n  - {code: tcp.zero_window}\ncommands:\n  - {platform: linux, shell: bash, command: '${command}', purpose: p, purpose_zh: 用途, ${extra}, risk_zh: 风险}\nreferences: []\n---\n\n## Summary\na\n## Symptoms\nb\n## How to confirm\nc\n## Root cause\nd\n## Resolution\ne\n## What did not help\nf\n`;
  const problems = (command: string, extra?: string) => parseCasePage('x-case.md', page(command, extra)).problems.join('\n');

  it('accepts slots, and braces that are not slots', () => {
    expect(problems('nc -vz -w 5 {server_host} {server_port}')).toBe('');
    expect(problems('curl -s -w "%{time_total}\\n" {url}')).toBe('');
    expect(problems("echo ${HOME} && Get-WinEvent -FilterHashtable @{LogName=''System''}")).toBe('');
    expect(problems('RawCap.exe 127.0.0.1 C:\\temp\\loopback.pcap')).toBe('');
    expect(problems('timeout conn 1:00:00', 'effect: change, risk: "more state", reboot: false')).toBe('');
  });

  it.each([
    ['an unknown slot', 'ping {server}', /unknown slot \{server\}/],
    ['an RFC 5737 address', 'ping 192.0.2.10', /"192.0.2.10" looks like a real value/],
    ['a private address', 'dig -x 10.0.0.5', /"10.0.0.5" looks like a real value/],
    ['an RFC 3849 address', 'ping -6 2001:db8::5', /"2001:db8::5" looks like a real value/],
    ['an example.com name', 'curl -v https://host.example.com/', /"host.example.com" looks like a real value/],
    ['a contoso name', 'dig +search reports.corp.contoso.com', /"reports.corp.contoso.com" looks like a real value/],
    ['an example interface', 'ip -s link show dev eth0', /"eth0" looks like a real value/],
    ['a written placeholder', 'ping <SERVER>', /write a slot/],
  ])('rejects %s in a command', (_, command, pattern) => {
    expect(problems(command)).toMatch(pattern);
  });

  it.each([
    ['an unknown effect', 'ss -s', 'effect: look, risk: "none", reboot: false', /effect must be check, change, replace/],
    ['a check that needs a reboot', 'ss -s', 'effect: check, risk: "none", reboot: true', /cannot need a reboot/],
    ['a change without a risk', 'sysctl -w net.ipv4.tcp_ecn=2', 'effect: change, risk: "none: read-only", reboot: false', /must say its risk/],
    ['a replace with values of its own', 'resolvectl domain {interface} corp lab', 'effect: replace, risk: "Lost on restart", reboot: false', /a replace must be built from the current value/],
  ])('rejects %s', (_, command, extra, pattern) => {
    expect(problems(command, extra)).toMatch(pattern);
  });

  it('accepts a replace built from the current value, or one that says it replaces', () => {
    expect(problems('resolvectl domain {interface} {suffix_list_plus_missing}', 'effect: replace, risk: "Lost on restart", reboot: false')).toBe('');
    expect(problems('sysctl -w net.ipv4.ip_local_port_range="10000 65000"', 'effect: replace, risk: "Replaces the range; sysctl shows the current one", reboot: false')).toBe('');
  });

  it('a registry value or configuration line is never a check', () => {
    expect(lintCommand({ shell: 'registry', command: 'HKLM\\X\\Y = 1 (REG_DWORD)', effect: 'check', risk: 'none', reboot: false }).join()).toMatch(/a registry value is a setting/);
  });

  it('finds example-looking values, and leaves times, versions and loopback alone', () => {
    expect(exampleValuesIn('ping 203.0.113.7 && ping 198.51.100.1 && ping fd00:82:2::2 && nslookup www.example.org && dig a.b.test')).toEqual(['203.0.113.7', '198.51.100.1', 'fd00:82:2::2', 'www.example.org', 'a.b.test']);
    expect(exampleValuesIn('timeout conn 1:00:00; HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319; ping 127.0.0.1; ping ::1; netsh http show sslcert ipport=0.0.0.0:443')).toEqual([]);
  });
});
