import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { installCrashPolicy, REJECTIONS_PER_MINUTE } from '../../src/main/crash-policy.js';
import { runNode } from '../cli/run.js';

const POLICY = pathToFileURL(resolve(import.meta.dirname, '..', '..', 'dist', 'src', 'main', 'crash-policy.js')).href;

/** A process with the policy: a stray rejection, then a timer that proves it still runs, then an uncaught exception. */
const SCRIPT = `
import { installCrashPolicy } from ${JSON.stringify(POLICY)};
const log = (level, msg, fields) => console.log(JSON.stringify({ level, msg, ...fields }));
installCrashPolicy(process, { log, stop: async () => console.log(JSON.stringify({ msg: 'stopped' })) });
Promise.reject(new Error('stray rejection'));
setTimeout(() => console.log(JSON.stringify({ msg: 'still serving' })), 100);
setTimeout(() => { throw new Error('boom'); }, 200);
setTimeout(() => console.log(JSON.stringify({ msg: 'never' })), 5000);
`;

describe('the bot process policy for errors nothing caught', () => {
  it('in a real process: a rejection is logged and serving goes on; an uncaught exception stops the work and exits 1', async () => {
    const r = await runNode('--input-type=module', ['-e', SCRIPT], {}, { timeoutMs: 20_000 });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { level: 'error', msg: 'unhandled rejection; still serving', error: 'Error: stray rejection' },
      { msg: 'still serving' },
      { level: 'fatal', msg: 'uncaught exception; stopping so the supervisor restarts the process', error: 'Error: boom' },
      { msg: 'stopped' },
    ]);
    expect(r.code).toBe(1);
  });

  it(`more than ${REJECTIONS_PER_MINUTE} rejections in a minute count as broken: stop and exit 1`, async () => {
    const target = Object.assign(new EventEmitter(), { exit: (code: number) => exits.push(code) });
    const exits: number[] = [];
    const logged: string[] = [];
    let t = 0;
    let stops = 0;
    installCrashPolicy(target, { log: (level, msg) => logged.push(`${level} ${msg}`), stop: async () => void stops++, now: () => t });
    for (let i = 0; i < REJECTIONS_PER_MINUTE; i++) {
      target.emit('unhandledRejection', new Error(`r${i}`));
      t += 1000;
    }
    expect([exits, stops]).toEqual([[], 0]);
    // The first ones are now over a minute old: still under the limit.
    t += 45_000;
    target.emit('unhandledRejection', new Error('late'));
    expect(exits).toEqual([]);
    for (let i = 0; i < REJECTIONS_PER_MINUTE; i++) target.emit('unhandledRejection', new Error('burst'));
    await new Promise((r) => setImmediate(r));
    expect([exits, stops]).toEqual([[1], 1]);
    expect(logged.at(-1)).toBe(`fatal more than ${REJECTIONS_PER_MINUTE} unhandled rejections in a minute; stopping so the supervisor restarts the process`);
  });
});
