import type { StreamSink } from './reassembly.js';

/**
 * HTTP/1.x exchanges from a reassembled TCP stream (RFC 9112): each direction's header blocks are
 * parsed (bounded at MAX_HEAD bytes), bodies are skipped by Content-Length or chunked framing, and
 * responses are paired with requests in order. Only the method, target path, Host, the start of
 * the User-Agent, status and sizes are kept: Authorization and Cookie values are never stored or
 * printed.
 */
export interface HttpExchange {
  method: string;
  /** Request target without its query string (queries may carry secrets). */
  uri: string;
  host: string;
  /** The request's User-Agent cut to MAX_USER_AGENT characters ('' without one): the client's own word on its platform. */
  userAgent: string;
  status: number;
  requestFrame: number;
  responseFrame: number;
  requestNs: number;
  responseNs: number;
  requestBodyBytes: number;
  responseBodyBytes: number;
  /** Request headers named Authorization or Cookie were present (values discarded). */
  credentialsSent: boolean;
}

const MAX_HEAD = 32 * 1024;
const MAX_EXCHANGES = 1000;
/** Browsers name their platform in the first parenthesis (`Mozilla/5.0 (Windows NT 10.0; ...`); the rest is engine versions. */
const MAX_USER_AGENT = 128;

type BodyMode = 'none' | 'length' | 'chunked' | 'until-close';

export class HttpConversation {
  readonly exchanges: HttpExchange[] = [];
  /** Requests waiting for a response, oldest first. */
  private readonly waiting: HttpExchange[] = [];
  limitHit = false;

  readonly client: StreamSink = new HttpDirection((head, frame, timeNs) => this.request(head, frame, timeNs), (n) => this.requestBody(n));
  readonly server: StreamSink = new HttpDirection(
    (head, frame, timeNs) => this.response(head, frame, timeNs),
    (n) => this.responseBody(n),
  );

  private request(head: string, frame: number, timeNs: number): BodyMode | number {
    const line = /^([A-Z]+) (\S+) HTTP\/1\.\d/.exec(head);
    if (line === null) return -1;
    const headers = parseHeaders(head);
    const x: HttpExchange = {
      method: line[1],
      uri: line[2].split('?')[0],
      host: headers.get('host') ?? '',
      userAgent: (headers.get('user-agent') ?? '').slice(0, MAX_USER_AGENT),
      status: -1,
      requestFrame: frame,
      responseFrame: 0,
      requestNs: timeNs,
      responseNs: -1,
      requestBodyBytes: 0,
      responseBodyBytes: 0,
      credentialsSent: headers.has('authorization') || headers.has('cookie'),
    };
    if (this.exchanges.length < MAX_EXCHANGES) this.exchanges.push(x);
    else this.limitHit = true;
    this.waiting.push(x);
    return bodyMode(headers, false, '', 0);
  }

  private response(head: string, frame: number, timeNs: number): BodyMode | number {
    const line = /^HTTP\/1\.\d (\d{3})/.exec(head);
    if (line === null) return -1;
    const status = Number(line[1]);
    const headers = parseHeaders(head);
    // 1xx responses are interim: the final response still answers the same request.
    const x = status >= 200 ? this.waiting.shift() : this.waiting[0];
    if (x !== undefined && status >= 200) {
      x.status = status;
      x.responseFrame = frame;
      x.responseNs = timeNs;
    }
    this.current = x ?? null;
    return bodyMode(headers, true, x?.method ?? '', status);
  }

  private current: HttpExchange | null = null;

  private requestBody(n: number): void {
    const x = this.waiting.at(-1);
    if (x !== undefined) x.requestBodyBytes += n;
  }

  private responseBody(n: number): void {
    if (this.current !== null) this.current.responseBodyBytes += n;
  }
}

/** One direction: header block, then body, repeated. */
class HttpDirection implements StreamSink {
  private head = '';
  private mode: BodyMode = 'none';
  private left = 0;
  private chunkLine = '';
  private chunkTrailer = false;
  private lost = false;

  constructor(
    private readonly onHead: (head: string, frame: number, timeNs: number) => BodyMode | number,
    private readonly onBody: (bytes: number) => void,
  ) {}

  skippable(): number {
    if (this.lost || this.mode === 'until-close') return Infinity;
    return this.mode === 'length' ? this.left : 0;
  }

  skip(bytes: number): void {
    if (this.lost) return;
    this.onBody(bytes);
    if (this.mode === 'length') {
      this.left -= bytes;
      if (this.left === 0) this.mode = 'none';
    }
  }

  gap(bytes: number): void {
    if (this.mode === 'length' && bytes <= this.left) {
      this.left -= bytes;
      this.onBody(bytes);
      if (this.left === 0) this.mode = 'none';
      return;
    }
    if (this.mode === 'until-close') return;
    this.lost = true; // we cannot know where the next message starts
  }

  data(bytes: Uint8Array, frame: number, timeNs: number): void {
    let at = 0;
    while (at < bytes.length && !this.lost) {
      if (this.mode === 'length') {
        const take = Math.min(this.left, bytes.length - at);
        this.onBody(take);
        this.left -= take;
        at += take;
        if (this.left === 0) this.mode = 'none';
      } else if (this.mode === 'until-close') {
        this.onBody(bytes.length - at);
        return;
      } else if (this.mode === 'chunked') {
        at = this.chunked(bytes, at);
      } else {
        at = this.header(bytes, at, frame, timeNs);
      }
    }
  }

  private header(bytes: Uint8Array, at: number, frame: number, timeNs: number): number {
    const end = Math.min(bytes.length, at + MAX_HEAD);
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset + at, end - at).toString('latin1');
    const before = this.head.length;
    this.head += chunk;
    const stop = this.head.indexOf('\r\n\r\n');
    if (stop < 0) {
      if (this.head.length > MAX_HEAD) this.lost = true;
      return end;
    }
    const head = this.head.slice(0, stop);
    this.head = '';
    const mode = this.onHead(head.replace(/^(\r\n)+/, ''), frame, timeNs);
    if (mode === -1) {
      this.lost = true;
      return bytes.length;
    }
    if (typeof mode === 'number') {
      this.mode = 'length';
      this.left = mode;
      if (mode === 0) this.mode = 'none';
    } else {
      this.mode = mode;
    }
    return at + (stop + 4 - before);
  }

  /** Chunked transfer coding (RFC 9112 7.1): size line, data, CRLF, ... a zero size, trailers. */
  private chunked(bytes: Uint8Array, at: number): number {
    if (this.left > 0) {
      const take = Math.min(this.left, bytes.length - at);
      this.onBody(Math.max(0, Math.min(take, this.left - 2)));
      this.left -= take;
      return at + take;
    }
    const nl = bytes.indexOf(0x0a, at);
    if (nl < 0) {
      this.chunkLine += Buffer.from(bytes.buffer, bytes.byteOffset + at, bytes.length - at).toString('latin1');
      if (this.chunkLine.length > 1024) this.lost = true;
      return bytes.length;
    }
    const line = (this.chunkLine + Buffer.from(bytes.buffer, bytes.byteOffset + at, nl - at).toString('latin1')).trim();
    this.chunkLine = '';
    if (this.chunkTrailer) {
      if (line === '') {
        this.chunkTrailer = false;
        this.mode = 'none';
      }
      return nl + 1;
    }
    const size = parseInt(line.split(';')[0], 16);
    if (Number.isNaN(size)) {
      this.lost = true;
      return bytes.length;
    }
    if (size === 0) this.chunkTrailer = true;
    else this.left = size + 2; // data and its CRLF
    return nl + 1;
  }
}

function parseHeaders(head: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Credentials are noted by name only; their values are dropped here.
    map.set(name, name === 'authorization' || name === 'cookie' || name === 'proxy-authorization' ? '' : line.slice(colon + 1).trim());
  }
  return map;
}

function bodyMode(headers: Map<string, string>, response: boolean, method: string, status: number): BodyMode | number {
  if (response && (method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200))) return 'none';
  if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) return 'chunked';
  const length = headers.get('content-length');
  if (length !== undefined && /^\d+$/.test(length)) return Number(length);
  return response ? 'until-close' : 'none';
}
