import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/config.js';

/**
 * The databases the store suite runs against: always a real SQLite file; a real PostgreSQL when
 * NETCASE_TEST_PG_URL is set (a role that may create databases: each test file creates its own
 * and drops it). Under CI=true a missing URL fails the run instead of skipping PostgreSQL.
 */
export interface Target {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database for one test (or one group of tests). */
  create(): Promise<{ database: Config['database']; env: Record<string, string>; dispose(): Promise<void> }>;
}

export const PG_URL = process.env.NETCASE_TEST_PG_URL?.trim() || undefined;

export function targets(): Target[] {
  if (PG_URL === undefined && process.env.CI === 'true') {
    throw new Error('CI=true but NETCASE_TEST_PG_URL is not set: the store suite must also run against PostgreSQL');
  }
  const list: Target[] = [sqliteTarget];
  if (PG_URL !== undefined) list.push(postgresTarget(PG_URL));
  return list;
}

const sqliteTarget: Target = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'netcase-store-'));
    const file = join(dir, 'netcase.db');
    return { database: { kind: 'sqlite', file }, env: { NETCASE_DB: file, NETCASE_SPOOL: join(dir, 'spool') }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

function postgresTarget(adminUrl: string): Target {
  return {
    name: 'postgres',
    async create() {
      const name = `netcase_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      // Test files create databases in parallel; PostgreSQL refuses a CREATE DATABASE while another
      // one is copying template1 ("being accessed by other users"): try again, bounded.
      for (let attempt = 1; ; attempt++) {
        try {
          await admin.query(`create database ${name}`);
          break;
        } catch (error) {
          if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
          await new Promise((r) => setTimeout(r, 100 * attempt));
        }
      }
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const dir = mkdtempSync(join(tmpdir(), 'netcase-store-'));
      return {
        database: { kind: 'postgres', url: url.toString() },
        env: { DATABASE_URL: url.toString(), NETCASE_SPOOL: join(dir, 'spool') },
        dispose: async () => {
          rmSync(dir, { recursive: true, force: true });
          const c = new pg.Client({ connectionString: adminUrl });
          await c.connect();
          await c.query(`drop database if exists ${name} with (force)`);
          await c.end();
        },
      };
    },
  };
}
