import { describe, expect, it } from 'vitest';
import { commandSlots } from '../../src/commands/command-slots.js';
import { addressOfPtr } from '../../src/commands/name-slots.js';
import { fillCommand } from '../../src/commands/fill-command.js';

/** fillCommand: slots in, placeholders for what the capture does not say, nothing unsafe pasted. */
describe('fillCommand', () => {
  const cmd = (command: string, shell = 'bash') => ({ command, shell });

  it('puts the values in and says which slots were filled', () => {
    expect(fillCommand(cmd('nc -vz -w 5 {server_host} {server_port}'), { server_host: 'app.corp.example', server_port: '8444' })).toEqual({ text: 'nc -vz -w 5 app.corp.example 8444', filled: ['server_host', 'server_port'], unfilled: [] });
  });

  it('shows a slot the capture cannot fill as its placeholder, never as an example value', () => {
    expect(fillCommand(cmd('openssl s_client -connect {server_endpoint} -servername {sni} -showcerts'), { server_endpoint: '[fd00:83:2::2]:443' })).toEqual({
      text: 'openssl s_client -connect [fd00:83:2::2]:443 -servername <SNI> -showcerts',
      filled: ['server_endpoint'],
      unfilled: ['sni'],
    });
    expect(fillCommand(cmd('Set-DnsClient -InterfaceAlias "{interface}"', 'powershell'), {}).text).toBe('Set-DnsClient -InterfaceAlias "<INTERFACE>"');
  });

  it('joins a list as the shell writes one, and keeps a placeholder item visible', () => {
    const slots = { suffix_list_plus_missing: ['corp.example', 'lab.example', '<MISSING_SUFFIX>'] };
    expect(fillCommand(cmd('Set-DnsClientGlobalSetting -SuffixSearchList @({suffix_list_plus_missing})', 'powershell'), slots)).toEqual({
      text: 'Set-DnsClientGlobalSetting -SuffixSearchList @("corp.example","lab.example","<MISSING_SUFFIX>")',
      filled: [],
      unfilled: ['suffix_list_plus_missing'],
    });
    expect(fillCommand(cmd('HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\SearchList = {suffix_list_plus_missing} (REG_SZ)', 'registry'), slots).text).toBe(
      'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\SearchList = corp.example,lab.example,<MISSING_SUFFIX> (REG_SZ)',
    );
    expect(fillCommand(cmd('search {suffix_list_plus_missing}', 'text'), slots).text).toBe('search corp.example lab.example <MISSING_SUFFIX>');
    expect(fillCommand(cmd('search {suffix_list_plus_missing}', 'text'), { suffix_list_plus_missing: ['corp.example', 'a.example'] })).toMatchObject({ filled: ['suffix_list_plus_missing'], unfilled: [] });
  });

  it('never pastes a captured value that does not have its slot shape (a capture cannot inject shell text)', () => {
    const evil = fillCommand(cmd('dig @{dns_server} {query_name} && curl -v {url} && nc {server_host} {server_port}'), {
      dns_server: '10.0.0.1; reboot',
      query_name: '$(rm -rf ~).corp',
      url: 'http://a/"; rm -rf ~; "',
      server_host: 'a`id`',
      server_port: '99999',
    });
    expect(evil.text).toBe('dig @<DNS_SERVER> <QUERY_NAME> && curl -v <URL> && nc <SERVER_HOST> <SERVER_PORT>');
    expect(evil.filled).toEqual([]);
    expect(fillCommand(cmd('search {suffix_list_plus_missing}', 'text'), { suffix_list_plus_missing: ['corp.example', 'x;reboot'] }).text).toBe('search <SUFFIX_LIST_PLUS_MISSING>');
    // A list value in a single-value slot (or the reverse) is not pasted either.
    expect(fillCommand(cmd('ping {server_ip}'), { server_ip: ['10.1.1.1'] }).text).toBe('ping <SERVER_IP>');
  });

  it('leaves braces that are not slots alone', () => {
    const curl = 'curl -o /dev/null -s -w "connect:%{time_connect} total:%{time_total}\\n" {url}';
    expect(fillCommand(cmd(curl), { url: 'http://10.83.2.2:8080/export' }).text).toBe('curl -o /dev/null -s -w "connect:%{time_connect} total:%{time_total}\\n" http://10.83.2.2:8080/export');
    const ps = "Get-WinEvent -FilterHashtable @{LogName='System'; Id=4227,4231} -MaxEvents 20";
    expect(fillCommand(cmd(ps, 'powershell'), {})).toEqual({ text: ps, filled: [], unfilled: [] });
  });

  it('decodes reverse-lookup names to the address they ask about', () => {
    expect(addressOfPtr('5.0.0.10.in-addr.arpa')).toBe('10.0.0.5');
    expect(addressOfPtr('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.3.8.0.0.0.0.d.f.ip6.arpa.')).toBe('fd00:83:2::1');
    expect(addressOfPtr('www.corp.example')).toBeNull();
  });

  it('takes the interface from a capture file that names one plain interface, and from nothing else', () => {
    const ifaces = (...names: string[]) => commandSlots({ findings: [], capture: { interfaces: names.map((name) => ({ name })) } }).interface;
    expect(ifaces('ens192')).toBe('ens192');
    expect(ifaces('any')).toBeUndefined();
    expect(ifaces('eth0', 'eth1')).toBeUndefined();
    const windows = commandSlots({ findings: [], capture: { interfaces: [{ name: '\\Device\\NPF_{0E5F3C4B-0000-4000-8000-000000000001}' }] } });
    expect(fillCommand(cmd('ip -s link show dev {interface}'), windows).text).toBe('ip -s link show dev <INTERFACE>');
  });
});
