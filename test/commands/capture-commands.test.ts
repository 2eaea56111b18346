import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/analysis/analyze-file.js';
import type { Analysis } from '../../src/analysis/analysis-types.js';
import type { Case } from '../../src/cases/case.js';
import { exampleValuesIn, slotsIn } from '../../src/cases/command-template.js';
import { loadCaseLibrary } from '../../src/cases/load-case-library.js';
import { commandSlots } from '../../src/commands/command-slots.js';
import { commandsForCapture, type FilledCommand } from '../../src/commands/commands-for-capture.js';

/**
 * The case pages' commands filled from real analyses of committed captures (labels.yml of each
 * matrix says how each was made): the server, port and names are this capture's, and what the
 * capture cannot say shows as a <PLACEHOLDER>.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const LIBRARY = resolve(ROOT, 'case-library');
const F = (...path: string[]) => resolve(ROOT, 'test', 'fixtures', ...path);
const library = await loadCaseLibrary({ readdir, readFile }, LIBRARY);
const page = (id: string): Case => library.cases.find((c) => c.id === id)!;
const cache = new Map<string, Promise<Analysis>>();
const analysis = (path: string) => {
  if (!cache.has(path)) cache.set(path, analyzeFile(path, { caseLibrary: LIBRARY }).then((a) => a[0]));
  return cache.get(path)!;
};
const all = (r: { primary: FilledCommand[]; other: FilledCommand[] }) => [...r.primary, ...r.other];
const texts = (r: { primary: FilledCommand[]; other: FilledCommand[] }) => all(r).map((c) => c.text);

const REFUSED_V4 = F('matrix', 'tcp', 'refused-closed-v4-client.pcap');
const REFUSED_V6 = F('matrix', 'tcp', 'refused-closed-v6-client.pcap');
const TLS_CHAIN = F('matrix', 'app', 'tls-chain-incomplete-curl-v4-client.pcap');
const TLS_EXPIRED_V6 = F('matrix', 'app', 'tls-expired-curl-v6-client.pcap');
const SHORTNAME_GLIBC = F('matrix', 'app', 'shortname-glibc-v4-client.pcap');
const SHORTNAME_WINDOWS = F('matrix', 'app', 'shortname-windows-v4-client.pcap');
const SHORTNAME_CURL_V6 = F('matrix', 'app', 'shortname-glibc-curl-v6-client.pcap');
const SEARCH_NEARMISS = F('matrix', 'app', 'nearmiss-search-first-suffix-v4-client.pcap');
const SERVFAIL = F('matrix', 'app', 'dns-servfail-a-v4-client.pcap');
const DNS_SILENT_V6 = F('matrix', 'app', 'dns-noresp-ignored-v6-client.pcap');
const PTR_SLOW = F('matrix', 'app', 'ptr-slow-v4-server.pcap');
const HTTP_SLOW = F('matrix', 'app', 'http-slow-5s-v4-client.pcap');

describe('a refused connection (nothing listens on 10.82.2.2:8444)', () => {
  it('the checks ask about port 8444 at 10.82.2.2, not the page\'s 443', async () => {
    const a = await analysis(REFUSED_V4);
    expect(a.answer).toBe('connection-refused');
    expect(commandSlots(a)).toMatchObject({ server_ip: '10.82.2.2', server_port: '8444', server_endpoint: '10.82.2.2:8444', client_ip: '10.82.1.1' });
    const r = commandsForCapture(page('connection-refused').commands, a);
    expect(texts(r)).toEqual(
      expect.arrayContaining(['Get-NetTCPConnection -LocalPort 8444 -State Listen', 'netstat -ano | findstr :8444', "ss -ltnp 'sport = :8444'", 'Test-NetConnection 10.82.2.2 -Port 8444', 'nc -vz -w 5 10.82.2.2 8444']),
    );
    expect(texts(r).join('\n')).not.toMatch(/443|example/);
    expect(all(r).every((c) => c.unfilled.length === 0 && c.effect === 'check')).toBe(true);
  });

  it('over IPv6 the address stands bare where a host goes and in brackets before a port', async () => {
    const a = await analysis(REFUSED_V6);
    const r = commandsForCapture(page('connection-refused').commands, a);
    expect(texts(r)).toContain('nc -vz -w 5 fd00:82:2::2 8444');
    expect(commandSlots(a).server_endpoint).toBe('[fd00:82:2::2]:8444');
  });

  it('commands about what a refusal capture cannot show keep their placeholders', async () => {
    const r = commandsForCapture(page('tls-incomplete-certificate-chain').commands, await analysis(REFUSED_V4));
    expect(texts(r)).toContain('openssl s_client -connect 10.82.2.2:8444 -servername <SNI> -showcerts');
    expect(texts(r)).toContain('curl -v <URL>');
    expect(all(r).find((c) => c.command.includes('{sni}'))?.unfilled).toEqual(['sni']);
  });
});

describe('TLS captures', () => {
  it('an incomplete chain: openssl connects to the server the capture saw, with the SNI the client sent', async () => {
    const a = await analysis(TLS_CHAIN);
    expect(a.answer).toBe('tls-incomplete-certificate-chain');
    const r = commandsForCapture(page('tls-incomplete-certificate-chain').commands, a);
    expect(texts(r)).toEqual(expect.arrayContaining(['openssl s_client -connect 10.83.2.2:443 -servername shop.netcase.test -showcerts', 'curl -v https://shop.netcase.test/']));
    expect(r.slots).toMatchObject({ sni: 'shop.netcase.test', server_host: 'shop.netcase.test', url: 'https://shop.netcase.test/' });
  });

  it('an expired certificate over IPv6', async () => {
    const r = commandsForCapture(page('tls-expired-certificate').commands, await analysis(TLS_EXPIRED_V6));
    expect(texts(r)).toContain('openssl s_client -connect [fd00:83:2::2]:443 -servername expired.netcase.test -showcerts');
  });

  it('the version page: nmap probes the capture\'s port and server name', async () => {
    const r = commandsForCapture(page('tls-version-cipher-mismatch').commands, await analysis(TLS_CHAIN));
    expect(texts(r)).toContain('nmap --script ssl-enum-ciphers -p 443 shop.netcase.test');
    expect(texts(r)).toContain('Enable-TlsCipherSuite -Name "<CIPHER_SUITE>"');
  });
});

describe('the DNS suffix search list', () => {
  it('glibc tried three suffixes: the list to set is those three in order, then the missing one as a placeholder', async () => {
    const a = await analysis(SHORTNAME_GLIBC);
    expect(a.answer).toBe('dns-suffix-search-list');
    const r = commandsForCapture(page('dns-suffix-search-list').commands, a);
    expect(r.slots).toMatchObject({ short_name: 'fileserv2', suffix_list: ['corp.example', 'eu.corp.example', 'lab.example'], dns_server: '10.83.3.53', client_ip: '10.83.1.1' });
    expect(texts(r)).toEqual(
      expect.arrayContaining([
        'Set-DnsClientGlobalSetting -SuffixSearchList @("corp.example","eu.corp.example","lab.example","<MISSING_SUFFIX>")',
        'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\SearchList = corp.example,eu.corp.example,lab.example,<MISSING_SUFFIX> (REG_SZ)',
        'search corp.example eu.corp.example lab.example <MISSING_SUFFIX>',
        'resolvectl domain <INTERFACE> corp.example eu.corp.example lab.example <MISSING_SUFFIX>',
        'Set-DnsClient -InterfaceAlias "<INTERFACE>" -ConnectionSpecificSuffix "<MISSING_SUFFIX>"',
        'dig +search fileserv2',
      ]),
    );
    expect(all(r).find((c) => c.shell === 'registry')?.form).toBe('registry');
    expect(all(r).find((c) => c.shell === 'text')?.form).toBe('config');
  });

  it('the 116486 ticket page resolves the short name under the suffix still to be found', async () => {
    const r = commandsForCapture(page('116486419190611').commands, await analysis(SHORTNAME_GLIBC));
    expect(texts(r)).toContain('Resolve-DnsName fileserv2.<MISSING_SUFFIX> -DnsOnly');
  });

  it('the Windows-like resolver (never the bare name to DNS, then LLMNR and NetBIOS) gives the same list', async () => {
    const r = commandsForCapture(page('dns-suffix-search-list').commands, await analysis(SHORTNAME_WINDOWS));
    expect(r.slots.suffix_list).toEqual(['corp.example', 'eu.corp.example', 'lab.example']);
    expect(r.platform.client).toBe('windows');
  });

  it('the suffix-list change never overwrites the list with example domains or anything the capture did not try', async () => {
    for (const file of [SHORTNAME_GLIBC, SHORTNAME_WINDOWS, SHORTNAME_CURL_V6, SEARCH_NEARMISS, REFUSED_V4, TLS_CHAIN]) {
      const a = await analysis(file);
      const tried = new Set(a.exchanges.dns.filter((t) => t.protocol === 'dns').map((t) => t.name.toLowerCase().split('.').slice(1).join('.')));
      const r = commandsForCapture(page('dns-suffix-search-list').commands, a);
      for (const c of all(r).filter((x) => x.command.includes('{suffix_list_plus_missing}'))) {
        expect(c.effect, file).toBe('replace');
        expect(c.text, file).not.toMatch(/contoso|example\.com|\{/);
        // Every domain in the new list is one this client tried (the current list) or a placeholder.
        const domains = c.text.match(/[a-z0-9-]+(\.[a-z0-9-]+)+/g)?.filter((d) => !/^(net\.|dnsclient)/i.test(d)) ?? [];
        for (const d of domains) expect(tried.has(d), `${file}: ${d}`).toBe(true);
        expect(c.text, file).toMatch(/<MISSING_SUFFIX>|<SUFFIX_LIST_PLUS_MISSING>/);
      }
    }
  });

  it('with no failed search in the capture the whole list is a placeholder', async () => {
    const r = commandsForCapture(page('dns-suffix-search-list').commands, await analysis(SEARCH_NEARMISS));
    expect(texts(r)).toContain('Set-DnsClientGlobalSetting -SuffixSearchList @(<SUFFIX_LIST_PLUS_MISSING>)');
    expect(texts(r)).toContain('search <SUFFIX_LIST_PLUS_MISSING>');
  });
});

describe('DNS servers and names', () => {
  it('SERVFAIL: the queries go to the resolver the capture saw, for the name that failed', async () => {
    const a = await analysis(SERVFAIL);
    expect(a.answer).toBe('dns-servfail');
    const r = commandsForCapture(page('dns-servfail').commands, a);
    expect(texts(r)).toEqual(expect.arrayContaining(['dig +trace app.corp.example', 'dig @10.83.3.53 app.corp.example +cd', 'Resolve-DnsName app.corp.example -Server 10.83.3.53 -DnsOnly', 'unbound-control flush_zone app.corp.example']));
  });

  it('a silent IPv6 server: nslookup asks it by address; the server list to set is a placeholder when no other server answered', async () => {
    const r = commandsForCapture(page('dns-server-not-responding').commands, await analysis(DNS_SILENT_V6));
    expect(texts(r)).toEqual(expect.arrayContaining(['nslookup app.corp.example fd00:83:3::53', 'dig @fd00:83:3::53 app.corp.example']));
    const replace = all(r).find((c) => c.effect === 'replace')!;
    expect(replace.text).toBe('Set-DnsClientServerAddress -InterfaceAlias "<INTERFACE>" -ServerAddresses (<DNS_SERVERS_ANSWERING>)');
    expect(replace.risk).toMatch(/^Replaces/);
  });

  it('a stalled reverse lookup: the address it asked about and the name its late answer gave', async () => {
    const a = await analysis(PTR_SLOW);
    expect(a.answer).toBe('648865412280611');
    const r = commandsForCapture(page('648865412280611').commands, a);
    expect(r.slots).toMatchObject({ ptr_address: '10.83.1.1', host_name: 'client1.corp.example', dns_server: '10.83.3.53' });
    expect(texts(r)).toEqual(
      expect.arrayContaining(['dig -x 10.83.1.1', 'Resolve-DnsName 10.83.1.1 -Type PTR', 'nbtstat -A 10.83.1.1', '10.83.1.1    client1.corp.example', 'Add-DnsServerResourceRecordPtr -ZoneName "<REVERSE_ZONE>" -Name "<REVERSE_LABEL>" -PtrDomainName "client1.corp.example"']),
    );
  });

  it('a slow HTTP server: curl times the URL the client asked for', async () => {
    const r = commandsForCapture(page('slow-server-think-time').commands, await analysis(HTTP_SLOW));
    expect(r.slots.url).toBe('http://10.83.2.2:8080/export');
    expect(texts(r)[0]).toMatch(/^curl -o \/dev\/null -s -w ".*%\{time_total\}\\n" http:\/\/10\.83\.2\.2:8080\/export$/);
  });
});

describe('every page against every capture above', () => {
  it('no slot is left unfilled without its placeholder, and every address or name shown is the capture\'s own', async () => {
    for (const file of [REFUSED_V4, REFUSED_V6, TLS_CHAIN, TLS_EXPIRED_V6, SHORTNAME_GLIBC, SHORTNAME_WINDOWS, SERVFAIL, DNS_SILENT_V6, PTR_SLOW, HTTP_SLOW]) {
      const a = await analysis(file);
      const seen = JSON.stringify(a);
      for (const c of library.cases) {
        for (const filled of all(commandsForCapture(c.commands, a))) {
          expect(slotsIn(filled.text), `${file} ${c.id}: ${filled.text}`).toEqual([]);
          for (const value of exampleValuesIn(filled.text)) expect(seen, `${file} ${c.id}: ${filled.text}`).toContain(value);
          // Wholly unfilled: the slot's placeholder; partly (a list whose missing suffix is unknown): its part's.
          for (const name of filled.unfilled) expect(filled.text).toMatch(new RegExp(`<${name.toUpperCase()}>|<MISSING_SUFFIX>`));
        }
      }
    }
  });
});
