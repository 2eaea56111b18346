import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Configuration from the environment, read once by a composition root and passed down.
 * An empty variable counts as unset everywhere.
 */
export interface Config {
  /** Cap on decompressed bytes from gzip and zip uploads. */
  maxDecompressedBytes: number;
  /** The case-library folder (NETCASE_CASE_LIBRARY; default: the package's own case-library/). */
  caseLibraryDir: string;
  /** A JSON file of threshold overrides (NETCASE_THRESHOLDS), or null. */
  thresholdsFile: string | null;
  debug: boolean;
  /** The store: PostgreSQL when DATABASE_URL is set, else the SQLite file NETCASE_DB. */
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  /** Where captures wait for analysis (NETCASE_SPOOL). */
  spoolDir: string;
  /** Stored analyses and spooled files older than this are purged (NETCASE_RETENTION_DAYS). */
  retentionDays: number;
  /** How long one analysis may run (NETCASE_MAX_ANALYSIS_S; `analyze --max-seconds` overrides it). */
  maxAnalysisS: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return {
    maxDecompressedBytes: readPositiveInt(env, 'NETCASE_MAX_DECOMPRESSED_MB', 4096) * 1024 * 1024,
    caseLibraryDir: value(env, 'NETCASE_CASE_LIBRARY') ?? packageCaseLibrary(),
    thresholdsFile: value(env, 'NETCASE_THRESHOLDS') ?? null,
    debug: value(env, 'NETCASE_DEBUG') === '1',
    database: readDatabase(env),
    spoolDir: value(env, 'NETCASE_SPOOL') ?? 'data/spool',
    retentionDays: readPositiveInt(env, 'NETCASE_RETENTION_DAYS', 90),
    maxAnalysisS: readPositiveInt(env, 'NETCASE_MAX_ANALYSIS_S', 600),
  };
}

function readDatabase(env: Record<string, string | undefined>): Config['database'] {
  const url = value(env, 'DATABASE_URL');
  if (url === undefined) return { kind: 'sqlite', file: value(env, 'NETCASE_DB') ?? 'data/netcase.db' };
  if (!/^postgres(ql)?:\/\/[^\s]+$/.test(url)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use the SQLite file NETCASE_DB)');
  }
  return { kind: 'postgres', url };
}

function value(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function readPositiveInt(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const v = value(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) <= 0) {
    throw new ConfigError(`${name}=${JSON.stringify(v)} is not a positive whole number (unset it to use ${fallback})`);
  }
  return Number(v);
}

/** case-library/ at the package root, seen from src/ (tests) or dist/src/ (the built CLI). */
function packageCaseLibrary(): string {
  for (const relative of ['../case-library', '../../case-library']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  return fileURLToPath(new URL('../../case-library', import.meta.url));
}
