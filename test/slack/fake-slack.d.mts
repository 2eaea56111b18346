/**
 * A fake Slack on 127.0.0.1, only at the HTTP edge: the Web API methods the bot uses (recorded),
 * file downloads (with a redirect to a second, trusted origin, a redirect to an untrusted one, and
 * an HTML login page), file uploads, and response_url posts. It can answer 429 with Retry-After or
 * 500 for a while.
 */
export interface ApiCall {
    method: string;
    args: Record<string, unknown>;
    at: number;
    /** What the fake answered, for chat.postMessage: the new message's ts. */
    result?: {
        ts: string;
    };
}
export interface FakeSlack {
    apiUrl: string;
    origin: string;
    /** A second origin the tests add to SLACK_FILE_ORIGINS. */
    trustedOrigin: string;
    untrustedOrigin: string;
    calls: ApiCall[];
    responses: {
        path: string;
        body: Record<string, unknown>;
    }[];
    uploads: {
        id: string;
        bytes: Buffer;
    }[];
    /** Requests that reached the second origin, with whether they carried a token. */
    trustedHits: {
        path: string;
        authorization: string | undefined;
    }[];
    untrustedHits: string[];
    files: Map<string, Buffer>;
    /** The next `times` calls of `method` answer with this status (429 adds Retry-After). */
    fail(method: string, times: number, status: 429 | 500, retryAfterS?: number): void;
    /** The next `times` calls of `method` answer ok: false with this error (message_not_found, ...). */
    refuse(method: string, times: number, error: string): void;
    /** Ids of file download URLs by kind. */
    fileUrl(name: string, kind?: 'direct' | 'redirect-trusted' | 'redirect-untrusted' | 'login'): string;
    responseUrl(id: string): string;
    close(): Promise<void>;
    /** Called with every recorded API call (tests use it to act at an exact moment). */
    onCall?: (call: ApiCall) => void;
    /** The x-oauth-scopes auth.test answers with (comma-separated). */
    scopes?: string;
    /** Calls of one method. */
    of(method: string): ApiCall[];
    /** Waits (bounded) until `predicate` holds over the calls. */
    until<T>(predicate: () => T | undefined | false, timeoutMs?: number): Promise<T>;
}
export declare function startFakeSlack(): Promise<FakeSlack>;
export declare const FAKE_TOKEN = "xoxb-test-token";
