import { parse } from 'yaml';
import { FINDING_CODES, type FindingCode } from '../findings/catalog.js';
import { BODY_HEADINGS, CONDITION_KEYS, SIGNATURE_ROLES, type SignatureRole, type Case, type CaseCommand, type CaseSignature } from './case.js';
import { lintCommand, type CommandEffect } from './command-template.js';

/**
 * One page: YAML front matter between `---` lines, then the six fixed headings. Returns the case,
 * or the problems that make the page unusable (the lint reports every one).
 */
const KEYS = ['id', 'ticket', 'title', 'title_zh', 'instance_of', 'catch_all', 'aliases', 'symptoms', 'platforms', 'signatures', 'commands', 'references'];
const PLATFORMS = new Set(['windows', 'windows-server', 'linux', 'macos', 'android', 'ios', 'network-device']);
const SHELLS = new Set(['cmd', 'powershell', 'bash', 'registry', 'netsh', 'sql', 'text']);
/** Every command has all of these keys, in this order in the pages. */
const COMMAND_KEYS = ['platform', 'shell', 'command', 'purpose', 'purpose_zh', 'effect', 'risk', 'risk_zh', 'reboot'];
/** The Chinese twins of purpose and risk, shown when netcase runs in Chinese: required, and Chinese. */
const CHINESE_KEYS = ['purpose_zh', 'risk_zh'];
const HAN = /\p{Script=Han}/u;
const ID_PATTERN = /^([0-9]+|[a-z0-9]+(-[a-z0-9]+)*)$/;

export interface ParsedPage {
  page: Case | null;
  problems: string[];
}

export function parseCasePage(file: string, text: string): ParsedPage {
  const problems: string[] = [];
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (match === null) return { page: null, problems: [`${file}: no front matter between --- lines at the top`] };
  const [, yamlText, body] = match;
  let front: Record<string, unknown>;
  try {
    front = parse(yamlText, { strict: true, uniqueKeys: true }) as Record<string, unknown>;
  } catch (error) {
    return { page: null, problems: [`${file}: front matter is not valid YAML (${(error as Error).message.split('\n')[0]})`] };
  }
  if (front === null || typeof front !== 'object') return { page: null, problems: [`${file}: front matter is empty`] };
  for (const key of Object.keys(front)) if (!KEYS.includes(key)) problems.push(`${file}: unknown key "${key}"`);
  if (!/^id:\s*(["']).*\1\s*$/m.test(yamlText)) problems.push(`${file}: id must be a quoted string (id: "...")`);
  const id = str(front.id);
  if (!ID_PATTERN.test(id)) problems.push(`${file}: id "${id}" is not digits or kebab-case`);
  if (`${id}.md` !== file.replace(/^.*[\\/]/, '')) problems.push(`${file}: id "${id}" does not match the file name`);
  for (const key of ['title', 'title_zh']) if (str(front[key]) === '') problems.push(`${file}: ${key} is missing`);
  for (const key of ['aliases', 'symptoms', 'platforms']) if (!isStringList(front[key]) || (front[key] as string[]).length === 0) problems.push(`${file}: ${key} must be a non-empty list of strings`);
  for (const p of strList(front.platforms)) if (!PLATFORMS.has(p)) problems.push(`${file}: unknown platform "${p}"`);
  if (front.references !== undefined && !isStringList(front.references)) problems.push(`${file}: references must be a list of strings`);
  if (front.ticket !== undefined && typeof front.ticket !== 'string') problems.push(`${file}: ticket must be a quoted string`);
  if (front.instance_of !== undefined && (typeof front.instance_of !== 'string' || !ID_PATTERN.test(front.instance_of) || front.instance_of === id)) problems.push(`${file}: instance_of must be the quoted id of another page`);
  if (front.catch_all !== undefined && typeof front.catch_all !== 'boolean') problems.push(`${file}: catch_all must be true or false`);
  const signatures = parseSignatures(file, front.signatures, problems);
  if (signatures.length > 0 && !signatures.some((sig) => sig.role === 'cause')) problems.push(`${file}: at least one signature must be a cause (the finding the page is about)`);
  const commands = parseCommands(file, front.commands, problems);
  const sections = parseSections(file, body, problems);
  if (problems.length > 0) return { page: null, problems };
  return {
    page: {
      id,
      title: str(front.title),
      titleZh: str(front.title_zh),
      aliases: strList(front.aliases),
      symptoms: strList(front.symptoms),
      platforms: strList(front.platforms),
      signatures,
      commands,
      references: strList(front.references),
      ticket: typeof front.ticket === 'string' ? front.ticket : null,
      instanceOf: typeof front.instance_of === 'string' ? front.instance_of : null,
      catchAll: front.catch_all === true,
      sections,
      file,
    },
    problems,
  };
}

function parseSignatures(file: string, value: unknown, problems: string[]): CaseSignature[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${file}: signatures must be a non-empty list`);
    return [];
  }
  return value.flatMap((s, i) => {
    const code = str((s as Record<string, unknown>)?.code);
    if (!(FINDING_CODES as readonly string[]).includes(code)) {
      problems.push(`${file}: signature ${i + 1} names unknown finding code "${code}"`);
      return [];
    }
    const m = s as Record<string, unknown>;
    for (const key of Object.keys(m)) if (!['code', 'role', 'when'].includes(key)) problems.push(`${file}: signature ${i + 1} has unknown key "${key}"`);
    const role = (m.role ?? 'cause') as SignatureRole;
    if (!SIGNATURE_ROLES.includes(role)) problems.push(`${file}: signature ${i + 1} has role "${String(m.role)}"; roles are ${SIGNATURE_ROLES.join(', ')}`);
    const when = (m.when ?? {}) as Record<string, string | number | boolean>;
    for (const key of Object.keys(when)) if (!(CONDITION_KEYS as readonly string[]).includes(key)) problems.push(`${file}: signature ${i + 1} has unknown condition "${key}"`);
    return [{ code: code as FindingCode, role, when }];
  });
}

function parseCommands(file: string, value: unknown, problems: string[]): CaseCommand[] {
  if (!Array.isArray(value)) {
    problems.push(`${file}: commands must be a list`);
    return [];
  }
  return value.flatMap((c, i) => {
    const m = c as Record<string, unknown>;
    const where = `${file}: command ${i + 1}`;
    const bad = ['platform', 'shell', 'command', 'purpose', 'effect', 'risk'].filter((k) => str(m?.[k]) === '');
    if (bad.length > 0 || typeof m.reboot !== 'boolean') {
      problems.push(`${where} lacks ${[...bad, ...(typeof m?.reboot === 'boolean' ? [] : ['reboot (true/false)'])].join(', ')}`);
      return [];
    }
    for (const key of Object.keys(m)) if (!COMMAND_KEYS.includes(key)) problems.push(`${where}: unknown key "${key}"`);
    if (!PLATFORMS.has(str(m.platform))) problems.push(`${where}: unknown platform "${str(m.platform)}"`);
    if (!SHELLS.has(str(m.shell))) problems.push(`${where}: unknown shell "${str(m.shell)}"`);
    if (str(m.shell) === 'registry' && !/^HK(LM|CU)\\.+ = .+ \(REG_[A-Z_]+\)$/.test(str(m.command))) problems.push(`${where}: a registry command must read HKLM\\path\\Value = data (REG_TYPE)`);
    const command = { platform: str(m.platform), shell: str(m.shell), command: str(m.command), purpose: str(m.purpose), purposeZh: str(m.purpose_zh), effect: str(m.effect) as CommandEffect, risk: str(m.risk), riskZh: str(m.risk_zh), reboot: m.reboot as boolean };
    for (const problem of lintCommand(command)) problems.push(`${where}: ${problem}`);
    const named = `${where} (${command.command.length > 60 ? `${command.command.slice(0, 57)}...` : command.command})`;
    for (const problem of lintChinese(m, command.effect)) problems.push(`${named}${problem}`);
    return [command];
  });
}

/** purpose_zh and risk_zh: present, Chinese, and a change or replace says its risk in both languages. */
function lintChinese(m: Record<string, unknown>, effect: CommandEffect): string[] {
  const problems: string[] = [];
  const missing = CHINESE_KEYS.filter((k) => str(m[k]) === '');
  if (missing.length > 0) problems.push(` lacks ${missing.join(', ')}: the ${missing.map((k) => k.replace('_zh', '')).join(' and ')} in Chinese, shown when netcase runs in Chinese`);
  for (const key of CHINESE_KEYS) if (str(m[key]) !== '' && !HAN.test(str(m[key]))) problems.push(`: ${key} must be written in Chinese (found "${str(m[key])}")`);
  if (effect !== 'check' && /^无/.test(str(m.risk_zh))) problems.push(`: a ${effect} must say its risk in risk_zh too (found "${str(m.risk_zh)}")`);
  return problems;
}

function parseSections(file: string, body: string, problems: string[]): Case['sections'] {
  const headings = [...body.matchAll(/^## (.+)$/gm)].map((m) => ({ name: m[1].trim(), at: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));
  const names = headings.map((h) => h.name);
  if (JSON.stringify(names) !== JSON.stringify(BODY_HEADINGS)) problems.push(`${file}: body headings must be exactly ${BODY_HEADINGS.map((h) => `## ${h}`).join(', ')} (found ${names.map((h) => `## ${h}`).join(', ') || 'none'})`);
  const sections = {} as Case['sections'];
  headings.forEach((h, i) => {
    if ((BODY_HEADINGS as readonly string[]).includes(h.name)) sections[h.name as keyof Case['sections']] = body.slice(h.end, headings[i + 1]?.at ?? body.length).trim();
  });
  return sections;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
