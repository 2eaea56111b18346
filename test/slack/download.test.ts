import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadToSpool } from '../../src/slack/download-file.js';
import { FAKE_TOKEN, startFakeSlack, type FakeSlack } from './fake-slack.mjs';

describe('downloadToSpool', () => {
  let fake: FakeSlack;
  let dir: string;
  beforeAll(async () => {
    fake = await startFakeSlack();
    dir = mkdtempSync(join(tmpdir(), 'netcase-dl-'));
    fake.files.set('F5K', Buffer.alloc(5000, 7));
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const opts = (o: Partial<Parameters<typeof downloadToSpool>[1]> = {}) => ({ token: FAKE_TOKEN, trustedOrigins: new Set([fake.origin, fake.trustedOrigin]), maxBytes: 1 << 20, spoolDir: dir, name: 'x.pcap', ...o });

  it('streams a file into the spool with its size and sha256', async () => {
    const r = await downloadToSpool(fake.fileUrl('F5K'), opts());
    expect(r).toMatchObject({ ok: true, spooled: { size: 5000, sha256: createHash('sha256').update(Buffer.alloc(5000, 7)).digest('hex') } });
  });

  it('refuses files over the cap, a first URL on an untrusted origin, and reports HTTP errors; leaves nothing in the spool', async () => {
    const before = readdirSync(dir).length;
    expect(await downloadToSpool(fake.fileUrl('F5K'), opts({ maxBytes: 1000 }))).toEqual({ ok: false, reason: 'too-big', detail: '5000' });
    expect(await downloadToSpool(`${fake.untrustedOrigin}/files/F5K`, opts())).toEqual({ ok: false, reason: 'untrusted', detail: fake.untrustedOrigin });
    expect(await downloadToSpool(fake.fileUrl('NOPE'), opts())).toEqual({ ok: false, reason: 'http', detail: 'HTTP 404' });
    // A file host that sends the token nowhere else: a redirect back to the login page is HTML.
    expect(await downloadToSpool(fake.fileUrl('F5K', 'login'), opts())).toEqual({ ok: false, reason: 'html', detail: 'text/html' });
    expect(readdirSync(dir).length).toBe(before);
  });

  it('refuses a link or a redirect that carries a user name or password, without repeating it', async () => {
    const refused = { ok: false, reason: 'credentials', detail: 'a user name or password in the link' };
    const hits = fake.calls.length;
    expect(await downloadToSpool(fake.fileUrl('F5K').replace('http://', 'http://netcase:pw@'), opts())).toEqual(refused);
    const redirector = createServer((_req, res) => res.writeHead(302, { location: fake.fileUrl('F5K').replace('http://', 'http://netcase:pw@') }).end());
    await new Promise<void>((done) => redirector.listen(0, '127.0.0.1', done));
    try {
      const origin = `http://127.0.0.1:${(redirector.address() as { port: number }).port}`;
      expect(await downloadToSpool(`${origin}/files/F5K`, opts({ trustedOrigins: new Set([fake.origin, origin]) }))).toEqual(refused);
    } finally {
      await new Promise((done) => redirector.close(done));
    }
    expect(fake.calls.length).toBe(hits);
  });
});
