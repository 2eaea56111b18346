import { ByteReader } from '../decode/byte-reader.js';
import { newPacket } from '../decode/packet.js';
import { decodeTls } from '../decode/tls.js';
import { parseCertificate, type CertificateInfo } from './certificates.js';
import type { StreamSink } from './reassembly.js';

/**
 * A TLS session put together from both directions of a reassembled TCP stream: the handshake
 * messages that are in clear (ClientHello, ServerHello, and in TLS 1.2 and below the Certificate
 * chain), alerts and who sent them, and application-data bytes each way. Handshake bytes kept are
 * bounded (MAX_HANDSHAKE_BYTES per direction); after that, or after the stream loses sync, only
 * record headers are followed.
 */
export type TlsStage = 'client_hello' | 'server_hello' | 'certificate' | 'key_exchange' | 'encrypted' | 'application_data';

export interface TlsAlert {
  from: 'client' | 'server';
  level: number;
  description: number;
  frame: number;
  /** Sent after the handshake was encrypted: only its existence is known. */
  encrypted: boolean;
}

export interface TlsSessionData {
  sni: string;
  offeredVersions: number[];
  clientHelloVersion: number;
  selectedVersion: number;
  alpnOffered: string[];
  alpnSelected: string;
  cipherSuitesOffered: number;
  cipherSuite: number;
  stage: TlsStage;
  certificates: CertificateInfo[];
  alerts: TlsAlert[];
  appDataBytes: { client: number; server: number };
  frames: { clientHello: number; serverHello: number; certificate: number; firstAppData: number };
  clientHelloNs: number;
  serverHelloNs: number;
  /** Sync was lost (a gap in the capture, or bytes that are not TLS records). */
  incomplete: boolean;
  /** The server asked for a client certificate (CertificateRequest, TLS 1.2 and below), and the client's answer: -1 none seen, else how many certificates it sent. */
  certificateRequestFrame: number;
  clientCertificates: number;
  clientCertificateFrame: number;
  /** ChangeCipherSpec frames (TLS 1.2 and below): with both, the handshake is complete. */
  changeCipherSpec: { client: number; server: number };
}

export function newTlsSession(): TlsSessionData {
  return {
    sni: '',
    offeredVersions: [],
    clientHelloVersion: 0,
    selectedVersion: 0,
    alpnOffered: [],
    alpnSelected: '',
    cipherSuitesOffered: 0,
    cipherSuite: -1,
    stage: 'client_hello',
    certificates: [],
    alerts: [],
    appDataBytes: { client: 0, server: 0 },
    frames: { clientHello: 0, serverHello: 0, certificate: 0, firstAppData: 0 },
    clientHelloNs: -1,
    serverHelloNs: -1,
    incomplete: false,
    certificateRequestFrame: 0,
    clientCertificates: -1,
    clientCertificateFrame: 0,
    changeCipherSpec: { client: 0, server: 0 },
  };
}

const MAX_HANDSHAKE_BYTES = 256 * 1024;
const STAGE_ORDER: TlsStage[] = ['client_hello', 'server_hello', 'certificate', 'key_exchange', 'encrypted', 'application_data'];

/** Parses one direction's records; both directions share the session. */
export class TlsDirection implements StreamSink {
  private header = new Uint8Array(5);
  private headerFill = 0;
  private bodyLeft = 0;
  private contentType = 0;
  private encrypted = false;
  private lost = false;
  private handshake: Uint8Array[] = [];
  private handshakeBytes = 0;
  private alertBody: number[] = [];
  private recordLength = 0;

  constructor(
    private readonly session: TlsSessionData,
    private readonly side: 'client' | 'server',
    private readonly peer: () => TlsDirection | null,
  ) {}

  /** The peer direction learns from ServerHello that TLS 1.3 encrypts from here on. */
  encryptFromNow(): void {
    this.encrypted = true;
  }

  gap(): void {
    this.lost = true;
    this.session.incomplete = true;
  }

  /** The rest of a record we only count (application data, encrypted records) can be skipped. */
  skippable(): number {
    if (this.lost) return Infinity;
    if (this.bodyLeft === 0) return 0;
    if (this.contentType === 23 || this.contentType === 24 || (this.contentType === 22 && this.encrypted)) return this.bodyLeft - 1;
    return 0;
  }

  skip(bytes: number): void {
    if (this.lost) return;
    if (this.contentType === 23) this.session.appDataBytes[this.side] += bytes;
    this.bodyLeft -= bytes;
  }

  data(bytes: Uint8Array, frame: number, timeNs: number): void {
    let at = 0;
    while (at < bytes.length && !this.lost) {
      if (this.bodyLeft === 0) {
        const take = Math.min(5 - this.headerFill, bytes.length - at);
        this.header.set(bytes.subarray(at, at + take), this.headerFill);
        this.headerFill += take;
        at += take;
        if (this.headerFill < 5) return;
        this.headerFill = 0;
        this.contentType = this.header[0];
        if (this.contentType < 20 || this.contentType > 24 || this.header[1] !== 3) {
          this.gap();
          return;
        }
        this.recordLength = (this.header[3] << 8) | this.header[4];
        this.bodyLeft = this.recordLength;
        this.alertBody = [];
        if (this.bodyLeft === 0) continue;
      }
      const take = Math.min(this.bodyLeft, bytes.length - at);
      this.body(bytes.subarray(at, at + take), frame, timeNs);
      this.bodyLeft -= take;
      at += take;
      if (this.bodyLeft === 0) this.recordEnd(frame);
    }
  }

  private body(chunk: Uint8Array, frame: number, timeNs: number): void {
    switch (this.contentType) {
      case 22:
        if (!this.encrypted) this.keepHandshake(chunk, frame, timeNs);
        return;
      case 21:
        for (const b of chunk) if (this.alertBody.length < 2) this.alertBody.push(b);
        return;
      case 23:
        this.session.appDataBytes[this.side] += chunk.length;
        return;
      default:
        return;
    }
  }

  private recordEnd(frame: number): void {
    if (this.contentType === 20) {
      this.encrypted = true;
      this.reach('key_exchange');
      const ccs = this.session.changeCipherSpec;
      if (ccs[this.side] === 0) ccs[this.side] = frame;
      // Both sides switched to the negotiated keys: the handshake is complete (TLS 1.2 and below).
      if (ccs.client > 0 && ccs.server > 0) this.reach('encrypted');
    } else if (this.contentType === 21) {
      // Two bytes can only be a plaintext alert (an encrypted one carries at least a 16-byte tag):
      // TLS 1.3 clients send one so before their handshake keys are in use.
      const plain = this.recordLength === 2;
      this.session.alerts.push({ from: this.side, level: plain ? this.alertBody[0] : -1, description: plain ? this.alertBody[1] : -1, frame, encrypted: !plain });
    } else if (this.contentType === 23) {
      this.dataRecords++;
      // TLS 1.3 hides the rest of the handshake in application-data records: the client's first
      // one is its Finished, so data flows from its second one, or when the server answers it.
      const tls13 = this.session.selectedVersion === 0x0304;
      const flowing = !tls13 || (this.side === 'client' ? this.dataRecords >= 2 : (this.peer()?.dataRecords ?? 0) >= 1);
      if (flowing) {
        if (this.session.frames.firstAppData === 0) this.session.frames.firstAppData = frame;
        this.reach('application_data');
      }
    }
  }

  /** Application-data records this direction has sent. */
  dataRecords = 0;

  private keepHandshake(chunk: Uint8Array, frame: number, timeNs: number): void {
    if (this.handshakeBytes + chunk.length > MAX_HANDSHAKE_BYTES) {
      this.session.incomplete = true;
      return;
    }
    this.handshake.push(Uint8Array.from(chunk));
    this.handshakeBytes += chunk.length;
    this.parseMessages(frame, timeNs);
  }

  /** Parses every complete handshake message held; keeps the incomplete tail. */
  private parseMessages(frame: number, timeNs: number): void {
    let buf = this.handshake.length === 1 ? this.handshake[0] : Buffer.concat(this.handshake);
    let at = 0;
    while (at + 4 <= buf.length) {
      const type = buf[at];
      const length = (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3];
      if (at + 4 + length > buf.length) break;
      this.message(type, buf.subarray(at, at + 4 + length), frame, timeNs);
      at += 4 + length;
      if (this.encrypted) break;
    }
    buf = this.encrypted ? new Uint8Array(0) : buf.subarray(at);
    this.handshake = buf.length > 0 ? [buf] : [];
    this.handshakeBytes = buf.length;
  }

  private message(type: number, msg: Uint8Array, frame: number, timeNs: number): void {
    const s = this.session;
    if (type === 1 || type === 2) {
      const hello = readHello(msg);
      if (type === 1 && this.side === 'client') {
        s.sni = hello.sni;
        s.offeredVersions = hello.supportedVersions.length > 0 ? hello.supportedVersions : [hello.handshakeVersion];
        s.clientHelloVersion = hello.handshakeVersion;
        s.alpnOffered = hello.alpn;
        s.cipherSuitesOffered = hello.cipherSuites.length;
        s.frames.clientHello = frame;
        s.clientHelloNs = timeNs;
      } else if (type === 2 && this.side === 'server') {
        s.selectedVersion = hello.version;
        s.cipherSuite = hello.cipherSuites[0] ?? -1;
        s.alpnSelected = hello.alpn[0] ?? '';
        s.frames.serverHello = frame;
        s.serverHelloNs = timeNs;
        this.reach('server_hello');
        if (hello.version === 0x0304) {
          // TLS 1.3 (RFC 8446 2): everything after the ServerHello is encrypted, both ways.
          this.encrypted = true;
          this.peer()?.encryptFromNow();
          this.reach('encrypted');
        }
      }
    } else if (type === 11 && this.side === 'server') {
      s.frames.certificate = frame;
      s.certificates = readCertificateChain(msg);
      this.reach('certificate');
    } else if (type === 11 && this.side === 'client') {
      s.clientCertificates = readCertificateChain(msg).length;
      s.clientCertificateFrame = frame;
    } else if (type === 13 && this.side === 'server') {
      s.certificateRequestFrame = frame;
      this.reach('key_exchange');
    } else if (type === 12 || type === 14 || type === 16) {
      this.reach('key_exchange');
    }
  }

  private reach(stage: TlsStage): void {
    if (STAGE_ORDER.indexOf(stage) > STAGE_ORDER.indexOf(this.session.stage)) this.session.stage = stage;
  }
}

/** Reads a hello through the segment decoder, by framing it as one record. */
function readHello(msg: Uint8Array) {
  const record = new Uint8Array(5 + msg.length);
  record.set([22, 3, 3, (msg.length >> 8) & 0xff, msg.length & 0xff]);
  record.set(msg, 5);
  const r = new ByteReader();
  r.reset(record, 0, record.length, record.length);
  const p = newPacket();
  p.payloadOffset = 0;
  p.payloadLength = record.length;
  p.payloadCaptured = record.length;
  decodeTls(r, p);
  const t = p.tls;
  return {
    sni: t?.sni ?? '',
    handshakeVersion: t?.handshakeVersion ?? 0,
    version: t?.version ?? 0,
    supportedVersions: t?.supportedVersions ?? [],
    alpn: t?.alpn ?? [],
    cipherSuites: t?.cipherSuites ?? [],
  };
}

/** Certificate message (RFC 5246 7.4.2): a 3-byte list length, then 3-byte-length DER certificates. */
function readCertificateChain(msg: Uint8Array): CertificateInfo[] {
  const out: CertificateInfo[] = [];
  let at = 4 + 3;
  const end = Math.min(msg.length, 4 + 3 + ((msg[4] << 16) | (msg[5] << 8) | msg[6]));
  while (at + 3 <= end && out.length < 16) {
    const length = (msg[at] << 16) | (msg[at + 1] << 8) | msg[at + 2];
    if (at + 3 + length > end) break;
    out.push(parseCertificate(msg.subarray(at + 3, at + 3 + length)));
    at += 3 + length;
  }
  return out;
}
