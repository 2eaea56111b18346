#!/usr/bin/env node
// Load benchmark (`npm run bench:load`, which builds first). See bench/README.md.
//
//   node bench/load.mjs [--uploads 30] [--mb 10]
//
// N concurrent uploads of synthetic captures through the fake Slack of the tests, against real bot
// and worker processes (dist/src/main/start-bot.js): on SQLite (one process, NETCASE_ROLE=all) and,
// when NETCASE_BENCH_PG_URL names a PostgreSQL role that may create databases, on PostgreSQL (two
// bots and two workers). Reports captures/min, MB/s, upload event -> findings message p50/p95,
// acknowledgement p99, and the peak RSS (VmHWM) of every process.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateCapture } from './generate-capture.mjs';
import { renderTable } from './lib/format.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const START = join(ROOT, 'dist', 'src', 'main', 'start-bot.js');
const { values } = parseArgs({ options: { uploads: { type: 'string', default: '30' }, mb: { type: 'string', default: '10' } } });
const UPLOADS = Math.max(1, Math.min(200, Number(values.uploads)));
const SECRET = 'load-signing-secret';
const { startFakeSlack, FAKE_TOKEN } = await import(join(ROOT, 'test', 'slack', 'fake-slack.mjs'));

const freePort = () => new Promise((done) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => done(p)); }); });

async function startProcess(env, role) {
  const port = role === 'worker' ? null : await freePort();
  const child = spawn(process.execPath, [START], { env: { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp', ...env, NETCASE_ROLE: role, LOG_LEVEL: 'warn', ...(port ? { PORT: String(port) } : {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  let peak = 0;
  const sample = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch { /* exited */ }
  }, 200);
  const deadline = Date.now() + 30_000;
  // LOG_LEVEL=warn hides the start line: wait for the port (bots) or a moment (workers).
  while (port !== null) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`process did not start: ${out}`);
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (port === null) await new Promise((r) => setTimeout(r, 1500));
  return {
    role, port, pid: child.pid, peak: () => peak,
    stop: () => new Promise((done) => { clearInterval(sample); child.on('exit', done); child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 20_000); }),
  };
}

function sign(body) {
  const ts = Math.floor(Date.now() / 1000);
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}` };
}

async function run(label, env, layout, fake, bytes) {
  const procs = [];
  for (const role of layout) procs.push(await startProcess(env, role));
  const bots = procs.filter((p) => p.port !== null);
  const done = new Map();
  fake.onCall = (call) => {
    if (call.method === 'chat.update' && JSON.stringify(call.args.blocks).includes('nc_resolve')) done.set(call.args.ts, call.at);
  };
  const acks = [];
  const threads = [];
  const started = Date.now();
  await Promise.all(Array.from({ length: UPLOADS }, async (_, i) => {
    const id = `F${label}${i}`;
    fake.files.set(id, bytes);
    const ts = `1900000000.${String(i).padStart(6, '0')}`;
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: `Ev${label}${i}`, event: { type: 'message', subtype: 'file_share', channel: `C${label}`, user: 'U1', ts, text: 'load', files: [{ id, name: `load-${i}.pcap`, filetype: 'pcap', mode: 'hosted', url_private_download: fake.fileUrl(id) }] } });
    const t0 = Date.now();
    const res = await fetch(`http://127.0.0.1:${bots[i % bots.length].port}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...sign(body) }, body });
    acks.push(Date.now() - t0);
    if (res.status !== 200) throw new Error(`event answered ${res.status}`);
    threads.push({ ts, t0 });
  }));
  // The status message (the first post in each thread) is what the findings edit replaces.
  const latencies = [];
  const deadline = Date.now() + 20 * 60_000;
  while (Date.now() < deadline) {
    latencies.length = 0;
    for (const t of threads) {
      const status = fake.of('chat.postMessage').find((c) => c.args.thread_ts === t.ts && c.args.channel === `C${label}`);
      const at = status?.result ? done.get(status.result.ts) : undefined;
      if (at !== undefined) latencies.push(at - t.t0);
    }
    if (latencies.length >= UPLOADS) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const elapsedS = (Date.now() - started) / 1000;
  for (const p of procs) await p.stop();
  fake.onCall = undefined;
  const pct = (list, p) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor((p / 100) * list.length))];
  return {
    label, layout: layout.join(' + '), finished: latencies.length, captures: UPLOADS, elapsedS,
    perMin: (latencies.length / elapsedS) * 60, mbPerS: (latencies.length * bytes.length) / 1e6 / elapsedS,
    p50: pct(latencies, 50), p95: pct(latencies, 95), ack99: pct(acks, 99),
    rss: procs.map((p) => `${p.role} ${Math.round(p.peak() / 1e6)} MB`).join(', '),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'netcase-load-'));
const capture = join(dir, 'capture.pcap');
await generateCapture({ out: capture, frames: Math.round((Number(values.mb) * 1e6) / 770) });
const bytes = readFileSync(capture);
const fake = await startFakeSlack();
const base = { SLACK_BOT_TOKEN: FAKE_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, NETCASE_SPOOL: join(dir, 'spool') };
const rows = [];
rows.push(await run('SQL', { ...base, NETCASE_DB: join(dir, 'load.db') }, ['all'], fake, bytes));
const adminUrl = process.env.NETCASE_BENCH_PG_URL?.trim();
if (adminUrl) {
  const name = `netcase_load_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    rows.push(await run('PG', { ...base, DATABASE_URL: url.toString() }, ['bot', 'bot', 'worker', 'worker'], fake, bytes));
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
} else {
  console.log('PostgreSQL: skipped (set NETCASE_BENCH_PG_URL to a role that may create databases)');
}
await fake.close();
rmSync(dir, { recursive: true, force: true });
const ms = (n) => (n === undefined ? '-' : `${Math.round(n)} ms`);
console.log(`Load: ${UPLOADS} concurrent uploads of a ${(bytes.length / 1e6).toFixed(1)} MB capture through the fake Slack`);
const header = ['store', 'processes', 'done', 'captures/min', 'MB/s', 'p50 to findings', 'p95 to findings', 'ack p99', 'peak RSS'];
console.log(renderTable(header.map((h, i) => ({ header: h, align: i < 2 || i === 8 ? 'left' : 'right', cell: (r) => r[i] })), rows.map((r) => [r.label === 'SQL' ? 'SQLite' : 'PostgreSQL', r.layout, `${r.finished}/${r.captures}`, r.perMin.toFixed(0), r.mbPerS.toFixed(1), ms(r.p50), ms(r.p95), ms(r.ack99), r.rss])));
