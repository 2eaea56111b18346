#!/usr/bin/env node
// Case-library search benchmark: a generated library of 10,000 pages (the real pages, re-mixed
// from a fixed seed: titles, aliases, symptoms and bodies shuffled across pages, new ids), indexed
// once; then 2,000 queries in English and Chinese, timed one by one. Goal: p99 under 10 ms.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCaseLibrary } from '../dist/src/cases/load-case-library.js';
import { CaseIndex } from '../dist/src/cases/search-cases.js';
import { createRng } from './lib/prng.mjs';

const PAGES = 10_000;
const QUERIES = 2_000;
const GOAL_P99_MS = 10;
const library = await loadCaseLibrary({ readdir, readFile }, join(import.meta.dirname, '..', 'case-library'));
const real = library.cases;
const rand = createRng(20261125).float;
const pick = (list) => list[Math.floor(rand() * list.length)];
const words = real.flatMap((c) => Object.values(c.sections).join(' ').split(/\s+/)).filter((w) => w.length > 3);

const pages = [];
for (let i = 0; i < PAGES; i++) {
  const a = pick(real);
  const b = pick(real);
  const body = Array.from({ length: 300 }, () => pick(words)).join(' ');
  pages.push({
    ...a,
    id: `generated-${i}`,
    title: `${a.title} ${pick(words)}`,
    aliases: [...a.aliases.slice(0, 6), ...b.aliases.slice(0, 4)],
    symptoms: [...a.symptoms.slice(0, 4), ...b.symptoms.slice(0, 4)],
    sections: { ...a.sections, Summary: `${a.sections.Summary} ${body}`, Symptoms: b.sections.Symptoms },
  });
}
let started = performance.now();
const index = new CaseIndex(pages);
const buildMs = performance.now() - started;

const queries = [
  'ECN web service 2012', '端口耗尽 无法连接', 'android apk download https aborted', '第一次访问很慢 数据库', 'dns suffix short name fails',
  'certificate expired browser error', '证书链不完整', 'retransmision high wan', 'zero window slow receiver', 'connection refused port 443',
  'mtu blackhole large packets', '反向解析 超时', 'servfail dns', 'tls 1.2 schannel registry', 'keepalive idle firewall reset',
];
const times = [];
let hits = 0;
for (let q = 0; q < QUERIES; q++) {
  const text = `${pick(queries)}${rand() < 0.5 ? ` ${pick(words)}` : ''}`;
  started = performance.now();
  hits += index.search(text, 10).length;
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const at = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
const rss = process.memoryUsage().rss / 1e6;
console.log(`case search: ${PAGES} generated pages indexed in ${buildMs.toFixed(0)} ms; ${QUERIES} queries, ${(hits / QUERIES).toFixed(1)} hits each`);
console.log(`latency ms: p50 ${at(0.5).toFixed(2)}, p90 ${at(0.9).toFixed(2)}, p99 ${at(0.99).toFixed(2)}, max ${times[times.length - 1].toFixed(2)}; RSS ${rss.toFixed(0)} MB`);
console.log(`goal: p99 < ${GOAL_P99_MS} ms per query: ${at(0.99) < GOAL_P99_MS ? 'PASS' : 'FAIL'} (measured ${at(0.99).toFixed(2)} ms)`);
