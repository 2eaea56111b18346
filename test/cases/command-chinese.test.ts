import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCaseLibrary } from '../../src/cases/load-case-library.js';
import { parseCasePage } from '../../src/cases/parse-case-page.js';

/** Every command's purpose and risk in Chinese too (purpose_zh, risk_zh), for the bot in Chinese (NETCASE_LANG=zh). */
const LIBRARY = resolve(import.meta.dirname, '..', '..', 'case-library');
const library = await loadCaseLibrary({ readdir, readFile }, LIBRARY);
const commands = library.cases.flatMap((c) => c.commands.map((cmd, i) => ({ where: `${c.id} command ${i + 1}`, ...cmd })));
const HAN = /\p{Script=Han}/u;

describe('the case pages say each command in Chinese too', () => {
  it('every command of every page has a purpose and a risk in Chinese', () => {
    expect(library.problems).toEqual([]);
    expect(commands.length).toBeGreaterThan(150);
    expect(commands.filter((c) => !HAN.test(c.purposeZh)).map((c) => c.where)).toEqual([]);
    expect(commands.filter((c) => !HAN.test(c.riskZh)).map((c) => c.where)).toEqual([]);
  });

  it('a read-only risk reads 无：只读, and the Chinese risk is "none" exactly when the English one is', () => {
    expect(commands.filter((c) => c.risk === 'none: read-only' && c.riskZh !== '无：只读').map((c) => c.where)).toEqual([]);
    expect(commands.filter((c) => /^none\b/.test(c.risk) !== /^无/.test(c.riskZh)).map((c) => c.where)).toEqual([]);
  });

  it('command names, settings and paths stay as they are in the Chinese text', () => {
    const pick = (command: string) => commands.find((c) => c.command === command);
    expect(pick('netsh int tcp set global ecncapability=disabled')?.purposeZh).toMatch(/^禁用 ECN（显式拥塞通告）/);
    expect(pick('Get-NetTCPSetting')?.purposeZh).toContain('EcnCapability');
    expect(pick('netsh int ipv4 set dynamicport tcp start=10000 num=55535')?.purposeZh).toContain('不需要重启');
    expect(commands.find((c) => c.command.endsWith('SearchList = {suffix_list_plus_missing} (REG_SZ)'))?.riskZh).toContain('HKLM\\SOFTWARE\\Policies');
  });
});

describe('the lint requires purpose_zh and risk_zh', () => {
  const page = (command: string) =>
    `---\nid: "x-case"\ntitle: "T"\ntitle_zh: "中"\naliases: ["a"]\nsymptoms: ["s"]\nplatforms: ["linux"]\nsignatures:\n  - {code: tcp.zero_window}\ncommands:\n  - {platform: linux, shell: bash, command: 'ss -s', purpose: "Socket totals", purpose_zh: "套接字汇总", effect: check, risk: "none: read-only", risk_zh: "无：只读", reboot: false}\n${command}\nreferences: []\n---\n\n## Summary\na\n## Symptoms\nb\n## How to confirm\nc\n## Root cause\nd\n## Resolution\ne\n## What did not help\nf\n`;
  const problems = (command: string) => parseCasePage('x-case.md', page(command)).problems;

  it('accepts a command with both', () => {
    expect(problems('')).toEqual([]);
  });

  it('names the page and the command that lacks purpose_zh', () => {
    const text = page(`  - {platform: linux, shell: bash, command: 'sysctl -w net.ipv4.tcp_ecn=2', purpose: "Stop requesting ECN", effect: change, risk: "Runtime only", risk_zh: "只在运行时生效", reboot: false}`);
    const parsed = parseCasePage('x-case.md', text);
    expect(parsed.page).toBeNull();
    expect(parsed.problems).toEqual(['x-case.md: command 2 (sysctl -w net.ipv4.tcp_ecn=2) lacks purpose_zh: the purpose in Chinese, shown when netcase runs in Chinese']);
  });

  it('names both when both are missing', () => {
    expect(problems(`  - {platform: linux, shell: bash, command: 'ss -tin', purpose: "Per-connection counters", effect: check, risk: "none: read-only", reboot: false}`)).toEqual([
      'x-case.md: command 2 (ss -tin) lacks purpose_zh, risk_zh: the purpose and risk in Chinese, shown when netcase runs in Chinese',
    ]);
  });

  it('rejects English in a Chinese field, and a change whose Chinese risk says none', () => {
    expect(problems(`  - {platform: linux, shell: bash, command: 'ss -tin', purpose: "Counters", purpose_zh: "Counters", effect: check, risk: "none: read-only", risk_zh: "无：只读", reboot: false}`)).toEqual([
      'x-case.md: command 2 (ss -tin): purpose_zh must be written in Chinese (found "Counters")',
    ]);
    expect(problems(`  - {platform: linux, shell: bash, command: 'sysctl -w net.ipv4.tcp_ecn=2', purpose: "Stop requesting ECN", purpose_zh: "不再请求 ECN", effect: change, risk: "Runtime only", risk_zh: "无", reboot: false}`)).toEqual([
      'x-case.md: command 2 (sysctl -w net.ipv4.tcp_ecn=2): a change must say its risk in risk_zh too (found "无")',
    ]);
  });

  it('shortens a long command in the message', () => {
    const long = `curl -o /dev/null -s -w "connect:%{time_connect} total:%{time_total}" {url}`;
    expect(problems(`  - {platform: linux, shell: bash, command: '${long}', purpose: "Time it", purpose_zh: "计时", effect: check, risk: "none", reboot: false}`)).toEqual([
      `x-case.md: command 2 (${long.slice(0, 57)}...) lacks risk_zh: the risk in Chinese, shown when netcase runs in Chinese`,
    ]);
  });
});
