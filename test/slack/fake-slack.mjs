// A fake Slack on 127.0.0.1 for the tests (test/slack/) and the Slack benchmark (bench/slack.mjs).
// Plain JavaScript so the benchmark runs it without a TypeScript runner; types in fake-slack.d.mts.
import { createServer } from 'node:http';
const TOKEN = 'xoxb-test-token';
function listen(handler) {
    return new Promise((resolve) => {
        const s = createServer(handler);
        s.listen(0, '127.0.0.1', () => resolve(s));
    });
}
function origin(s) {
    return `http://127.0.0.1:${s.address().port}`;
}
async function body(req) {
    const chunks = [];
    for await (const c of req)
        chunks.push(c);
    return Buffer.concat(chunks);
}
function parseArgs(req, raw) {
    const type = req.headers['content-type'] ?? '';
    if (type.includes('application/json'))
        return JSON.parse(raw.toString('utf8') || '{}');
    const out = {};
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
        out[k] = /^[[{]/.test(v) ? safeJson(v) : v === 'true' ? true : v === 'false' ? false : v;
    }
    return out;
}
function safeJson(v) {
    try {
        return JSON.parse(v);
    }
    catch {
        return v;
    }
}
export async function startFakeSlack() {
    const calls = [];
    const responses = [];
    const uploads = [];
    const trustedHits = [];
    const untrustedHits = [];
    const files = new Map();
    const failures = new Map();
    const refusals = new Map();
    let ts = 1_700_000_000;
    let seq = 0;
    const nextTs = () => `${ts++}.${String(++seq).padStart(6, '0')}`;
    const second = await listen(async (req, res) => {
        const name = decodeURIComponent((req.url ?? '').replace(/^\/files2\//, ''));
        trustedHits.push({ path: req.url ?? '', authorization: req.headers.authorization });
        const bytes = files.get(name);
        if (bytes === undefined)
            return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) }).end(bytes);
    });
    const third = await listen((req, res) => {
        untrustedHits.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('stolen');
    });
    const main = await listen(async (req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const raw = await body(req);
        const json = (status, payload, headers = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
        if (url.pathname.startsWith('/api/')) {
            const method = url.pathname.slice('/api/'.length);
            const args = parseArgs(req, raw);
            if (req.headers.authorization !== `Bearer ${TOKEN}` && args.token !== TOKEN)
                return json(200, { ok: false, error: 'invalid_auth' });
            const refusal = refusals.get(method);
            if (refusal !== undefined && refusal.times > 0) {
                refusal.times--;
                calls.push({ method: `${method}#${refusal.error}`, args, at: Date.now() });
                return json(200, { ok: false, error: refusal.error });
            }
            const failure = failures.get(method);
            if (failure !== undefined && failure.times > 0) {
                failure.times--;
                calls.push({ method: `${method}#${failure.status}`, args, at: Date.now() });
                return failure.status === 429 ? json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfter) }) : json(500, { ok: false, error: 'internal_error' });
            }
            const call = { method, args, at: Date.now() };
            calls.push(call);
            fake.onCall?.(call);
            const base = origin(main);
            switch (method) {
                case 'auth.test':
                    res.setHeader('x-oauth-scopes', fake.scopes ?? 'app_mentions:read,channels:history,chat:write,commands,files:read,files:write,groups:history,im:history');
                    return json(200, { ok: true, url: 'https://netcase-test.slack.com/', team: 'Test', user: 'netcase', team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT' });
                case 'chat.postMessage': {
                    const ts = nextTs();
                    call.result = { ts };
                    return json(200, { ok: true, channel: args.channel, ts, message: { text: args.text } });
                }
                case 'chat.update':
                    return json(200, { ok: true, channel: args.channel, ts: args.ts });
                case 'chat.postEphemeral':
                    return json(200, { ok: true, message_ts: nextTs() });
                case 'views.open':
                case 'views.publish':
                    return json(200, { ok: true, view: { id: 'V1' } });
                case 'files.info': {
                    const id = String(args.file);
                    return json(200, { ok: true, file: { id, name: id, url_private_download: `${base}/files/${encodeURIComponent(id)}` } });
                }
                case 'files.getUploadURLExternal': {
                    const id = `FUP${++seq}`;
                    return json(200, { ok: true, upload_url: `${base}/upload/${id}`, file_id: id });
                }
                case 'files.completeUploadExternal':
                    return json(200, { ok: true, files: args.files ?? [] });
                default:
                    return json(200, { ok: false, error: 'unknown_method' });
            }
        }
        if (url.pathname.startsWith('/upload/')) {
            uploads.push({ id: url.pathname.slice(8), bytes: raw });
            return void res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
        }
        if (url.pathname.startsWith('/respond/')) {
            responses.push({ path: url.pathname, body: JSON.parse(raw.toString('utf8') || '{}') });
            return json(200, { ok: true });
        }
        const [, kind, rawName] = url.pathname.split('/');
        const name = decodeURIComponent(rawName ?? '');
        if (req.headers.authorization !== `Bearer ${TOKEN}`)
            return void res.writeHead(302, { location: `${origin(main)}/login/x` }).end();
        if (kind === 'files') {
            const bytes = files.get(name);
            if (bytes === undefined)
                return void res.writeHead(404).end();
            return void res.writeHead(200, { 'content-type': 'application/vnd.tcpdump.pcap', 'content-length': String(bytes.length) }).end(bytes);
        }
        if (kind === 'redirect-trusted')
            return void res.writeHead(302, { location: `${origin(second)}/files2/${encodeURIComponent(name)}` }).end();
        if (kind === 'redirect-untrusted')
            return void res.writeHead(302, { location: `${origin(third)}/steal/${encodeURIComponent(name)}` }).end();
        if (kind === 'login')
            return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
        res.writeHead(404).end();
    });
    const fake = {
        apiUrl: `${origin(main)}/api/`,
        origin: origin(main),
        trustedOrigin: origin(second),
        untrustedOrigin: origin(third),
        calls,
        responses,
        uploads,
        trustedHits,
        untrustedHits,
        files,
        fail(method, times, status, retryAfterS = 1) {
            failures.set(method, { times, status, retryAfter: retryAfterS });
        },
        refuse(method, times, error) {
            refusals.set(method, { times, error });
        },
        fileUrl(name, kind = 'direct') {
            return `${origin(main)}/${kind === 'direct' ? 'files' : kind}/${encodeURIComponent(name)}`;
        },
        responseUrl(id) {
            return `${origin(main)}/respond/${id}`;
        },
        of(method) {
            return calls.filter((c) => c.method === method);
        },
        async until(predicate, timeoutMs = 30_000) {
            const end = Date.now() + timeoutMs;
            for (;;) {
                const v = predicate();
                if (v !== undefined && v !== false)
                    return v;
                if (Date.now() > end)
                    throw new Error('timed out waiting for the fake Slack to see the expected calls');
                await new Promise((r) => setTimeout(r, 25));
            }
        },
        async close() {
            for (const s of [main, second, third]) {
                s.closeAllConnections();
                await new Promise((r) => s.close(r));
            }
        },
    };
    return fake;
}
export const FAKE_TOKEN = TOKEN;
