import { formatEndpoint } from '../flows/endpoints.js';
import type { TcpConnection } from '../flows/tcp-connection.js';
import { makeFinding } from '../findings/finding.js';
import { message } from '../findings/messages.js';
import { reason } from '../findings/reasons.js';
import { defineCheck, tcpFlow } from './check.js';

const closeOf = (c: TcpConnection) => {
  const orig = [c.orig.finFrame, c.orig.rstFrame].filter((f) => f > 0);
  const resp = [c.resp.finFrame, c.resp.rstFrame].filter((f) => f > 0);
  const first = Math.min(...orig, ...resp);
  if (!Number.isFinite(first)) return null;
  return { byClient: orig.includes(first), rst: first === c.orig.rstFrame || first === c.resp.rstFrame, frame: first };
};

/** The client closes or resets right after the server's handshake flight, without finishing it. */
export const clientAbortAfterServerFlight = defineCheck({
  code: 'tls.client_abort_after_server_flight',
  description: "the client gives up right after the server's handshake flight",
  run: ({ tcp }) =>
    tcp.flatMap((c) => {
      const t = c.tls;
      const close = closeOf(c);
      if (t === null || close === null || !close.byClient || t.frames.serverHello === 0) return [];
      // TLS 1.3 encrypts everything after the ServerHello: a client that walked away sent no
      // Finished, at most one record the size of an encrypted alert (24 bytes), before closing.
      const clientSaidWhy = t.alerts.some((a) => a.from === 'client' && !a.encrypted);
      const tls13WalkAway = t.selectedVersion === 0x0304 && t.stage !== 'application_data' && t.appDataBytes.client <= 24 && !clientSaidWhy;
      if (!tls13WalkAway && (t.stage === 'application_data' || t.stage === 'encrypted' || clientSaidWhy)) return [];
      // The client answered a certificate request and the server ended it: the server's decision.
      if (t.clientCertificateFrame > 0 && t.alerts.some((a) => a.from === 'server' && !a.encrypted)) return [];
      return [
        makeFinding('tls.client_abort_after_server_flight', {
          message: message('tls.client_abort_after_server_flight', { reset: close.rst, frame: close.frame, certificates: t.certificates.length, server: formatEndpoint(c.responder), sni: t.sni }),
          frames: [t.frames.serverHello, close.frame],
          flow: tcpFlow(c),
          metrics: {},
          confidence: 0.8,
        }),
      ];
    }),
});

/** The handshake completed and the server was sending when the client closed or reset (the Android download case). */
export const clientAbortMidTransfer = defineCheck({
  code: 'tls.client_abort_mid_transfer',
  description: 'the client closes or resets while the server is sending application data',
  run: ({ tcp }) =>
    tcp.flatMap((c) => {
      const t = c.tls;
      const close = closeOf(c);
      if (t === null || close === null || !close.byClient || t.stage !== 'application_data') return [];
      // The server was still sending: its last data came at most a second before the client's close, or after it.
      const closeNs = c.orig.rstFrame === close.frame ? c.orig.rstNs : c.orig.finNs;
      if (t.appDataBytes.server <= 10_000 || c.resp.lastDataNs < closeNs - 1e9) return [];
      // An abort needs evidence that the server was not done: its data still arriving after the
      // client's close, a reset answering the client's FIN (from either side), server data the
      // client never acknowledged, or a reset with no close_notify before it (the application
      // dropped the connection). A client that closes cleanly right after the response is done.
      const serverAfterClose = c.resp.lastDataNs > closeNs;
      const rstAfterFin = !close.rst && ((c.orig.rstFrame > 0 && c.orig.rstNs > closeNs) || (c.resp.rstFrame > 0 && c.resp.rstNs >= closeNs));
      const unacked = c.analyzer.b.nextSeq !== 0 && ((c.analyzer.b.nextSeq - c.analyzer.a.lastAck) | 0) > 1;
      const bareReset = close.rst && !t.alerts.some((a) => a.from === 'client' && a.frame < close.frame);
      if (!serverAfterClose && !rstAfterFin && !unacked && !bareReset) return [];
      return [
        makeFinding('tls.client_abort_mid_transfer', {
          message: message('tls.client_abort_mid_transfer', { sni: t.sni, serverBytes: t.appDataBytes.server, reset: close.rst, frame: close.frame }),
          frames: [t.frames.firstAppData, close.frame].filter((f) => f > 0),
          flow: tcpFlow(c),
          metrics: { serverBytes: t.appDataBytes.server, clientBytes: t.appDataBytes.client },
          confidence: 0.8,
        }),
      ];
    }),
});

/** The server's chain does not reach a CA: the intermediates are missing. */
export const certChainIncomplete = defineCheck({
  code: 'tls.cert_chain_incomplete',
  description: 'the server sends a chain without its intermediate certificates',
  run: ({ tcp }) =>
    tcp.flatMap((c) => {
      const chain = c.tls?.certificates ?? [];
      if (chain.length === 0 || chain.some((x) => x.error)) return [];
      const last = chain[chain.length - 1];
      if (last.selfSigned || last.isCa) return [];
      const subjects = new Set(chain.map((x) => x.subject));
      const rejected = (c.tls?.alerts ?? []).some((a) => a.from === 'client' && (a.description === 48 || a.description === 42 || a.description === 46));
      // A leaf issued straight by a root (private PKIs do this) is a complete chain: clients hold
      // the root. Without a client's complaint, an issuer that names itself a root is not a gap.
      const issuerIsRoot = /\broot\b/i.test(last.issuer) && !subjects.has(last.issuer);
      return [
        makeFinding('tls.cert_chain_incomplete', {
          severity: rejected ? 'high' : issuerIsRoot ? 'low' : 'medium',
          reasons: issuerIsRoot && !rejected ? [reason('tls.issuer_is_root', { issuer: last.issuer })] : [],
          message: message('tls.cert_chain_incomplete', { certificates: chain.length, subject: last.subject, issuer: last.issuer, issuerInChain: subjects.has(last.issuer), rejected }),
          frames: [c.tls?.frames.certificate ?? 0].filter((f) => f > 0),
          flow: tcpFlow(c),
          metrics: { chainLength: chain.length },
          // A lone leaf may be issued straight by a root the client trusts; the client's unknown_ca
          // or bad_certificate alert says it could not build the chain.
          confidence: (c.tls?.alerts ?? []).some((a) => a.from === 'client' && (a.description === 48 || a.description === 42 || a.description === 46)) ? 0.9 : 0.6,
        }),
      ];
    }),
});

/** Certificates expired, not yet valid, or not naming the server asked for. */
export const certValidity = defineCheck({
  code: 'tls.cert_validity',
  description: 'a certificate expired, not yet valid, or not covering the name',
  run: ({ tcp, capture }) =>
    tcp.flatMap((c) => {
      const t = c.tls;
      const leaf = t?.certificates[0];
      if (t === null || leaf === undefined || leaf.error) return [];
      const at = capture.firstTime ? Date.parse(capture.firstTime.replace(/\.(\d{3})\d*Z$/, '.$1Z')) : Date.now();
      const dates: { subject: string; expired: boolean; date: string }[] = [];
      for (const cert of t.certificates) {
        if (Date.parse(cert.validTo) < at) dates.push({ subject: cert.subject, expired: true, date: cert.validTo.slice(0, 10) });
        else if (Date.parse(cert.validFrom) > at) dates.push({ subject: cert.subject, expired: false, date: cert.validFrom.slice(0, 10) });
      }
      const nameMismatch = t.sni !== '' && leaf.san.length > 0 && !leaf.san.some((n) => nameMatches(n.replace(/^DNS:/, ''), t.sni));
      const problems = dates.length + (nameMismatch ? 1 : 0);
      if (problems === 0) return [];
      return [
        makeFinding('tls.cert_validity', {
          message: message('tls.cert_validity', { dates, nameMismatch, sni: t.sni, names: nameMismatch ? leaf.san.slice(0, 3) : [], server: formatEndpoint(c.responder) }),
          frames: [t.frames.certificate].filter((f) => f > 0),
          flow: tcpFlow(c),
          metrics: { problems },
          confidence: 0.95,
        }),
      ];
    }),
});

/** A handshake that failed over versions or ciphers. */
export const versionOrCipherMismatch = defineCheck({
  code: 'tls.version_or_cipher_mismatch',
  description: 'client and server share no TLS version or cipher suite',
  run: ({ tcp }) =>
    tcp.flatMap((c) => {
      const t = c.tls;
      if (t === null) return [];
      // After a ServerHello the two sides had agreed on a version and a cipher: a later
      // handshake_failure is about something else (a client certificate, a signature).
      const alert = t.frames.serverHello === 0 ? t.alerts.find((a) => !a.encrypted && (a.description === 70 || a.description === 40 || a.description === 71)) : undefined;
      const unanswered = t.frames.clientHello > 0 && t.frames.serverHello === 0 && (c.resp.rstFrame > 0 || c.resp.finFrame > 0);
      if (alert === undefined && !unanswered) return [];
      return [
        makeFinding('tls.version_or_cipher_mismatch', {
          message: message('tls.version_or_cipher_mismatch', {
            versions: [...t.offeredVersions],
            cipherSuites: t.cipherSuitesOffered,
            alert: alert === undefined ? '' : alert.description === 70 ? 'protocol_version' : alert.description === 71 ? 'insufficient_security' : 'handshake_failure',
          }),
          frames: [t.frames.clientHello, alert?.frame ?? c.resp.rstFrame ?? 0].filter((f) => f > 0),
          flow: tcpFlow(c),
          metrics: {},
          confidence: alert ? 0.9 : 0.6,
        }),
      ];
    }),
});

function nameMatches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  if (p === n) return true;
  return p.startsWith('*.') && n.endsWith(p.slice(1)) && !n.slice(0, n.length - p.length + 1).includes('.');
}
