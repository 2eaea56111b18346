import { formatEndpoint } from '../flows/endpoints.js';
import { makeFinding } from '../findings/finding.js';
import { message } from '../findings/messages.js';
import { reason } from '../findings/reasons.js';
import { defineCheck, groupBy, tcpFlow } from './check.js';

/** TLS alert descriptions (RFC 8446 6.2) that say the peer's certificate was not accepted. */
const CERTIFICATE_ALERTS = new Set([42, 43, 44, 45, 46, 48, 49]);
export const ALERT_NAMES: Record<number, string> = {
  10: 'unexpected_message', 20: 'bad_record_mac', 40: 'handshake_failure', 42: 'bad_certificate', 43: 'unsupported_certificate',
  44: 'certificate_revoked', 45: 'certificate_expired', 46: 'certificate_unknown', 47: 'illegal_parameter', 48: 'unknown_ca',
  49: 'access_denied', 50: 'decode_error', 51: 'decrypt_error', 70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error',
  86: 'inappropriate_fallback', 109: 'missing_extension', 112: 'unrecognized_name', 116: 'certificate_required', 120: 'no_application_protocol',
};

/** A plaintext fatal alert: certificate problems are high, negotiation problems medium. */
export const tlsAlertFatal = defineCheck({
  code: 'tls.alert_fatal',
  description: 'a plaintext fatal TLS alert',
  run: ({ tcp }) =>
    tcp.flatMap((c) =>
      (c.tls?.alerts ?? [])
        .filter((a) => !a.encrypted && a.level === 2)
        .map((a) => {
          const name = ALERT_NAMES[a.description] ?? `alert ${a.description}`;
          const certificate = CERTIFICATE_ALERTS.has(a.description);
          const t = c.tls;
          // Mutual TLS: the server asked for a client certificate, the client sent none (an empty
          // Certificate message) or never answered, and the server ended the handshake.
          const clientCertMissing = t !== null && a.from === 'server' && t.certificateRequestFrame > 0 && t.clientCertificates <= 0 && a.frame > t.certificateRequestFrame;
          return makeFinding('tls.alert_fatal', {
            severity: certificate || clientCertMissing ? 'high' : 'medium',
            message: clientCertMissing
              ? message('tls.alert_fatal.client_certificate', { sni: t.sni, requestFrame: t.certificateRequestFrame, emptyCertificate: t.clientCertificates === 0, certFrame: t.clientCertificateFrame, alert: name, frame: a.frame })
              : message('tls.alert_fatal', { side: a.from, sni: c.tls?.sni ?? '', alert: name, frame: a.frame, certificate }),
            frames: clientCertMissing ? [t.certificateRequestFrame, ...(t.clientCertificateFrame > 0 ? [t.clientCertificateFrame] : []), a.frame] : [a.frame],
            flow: tcpFlow(c),
            metrics: { alertDescription: a.description },
            confidence: 1,
            reasons: clientCertMissing ? [reason('tls.client_certificate_missing', { requestFrame: t.certificateRequestFrame, certFrame: t.clientCertificateFrame, alert: name, frame: a.frame })] : [],
          });
        }),
    ),
});

/** HTTP status 5xx (high) and 4xx (info), per server. */
export const httpErrorStatus = defineCheck({
  code: 'http.error_status',
  description: 'HTTP error responses',
  run: ({ tcp }) => {
    const errors = tcp.flatMap((c) => (c.http?.exchanges ?? []).filter((x) => x.status >= 400).map((x) => ({ c, x })));
    return [...groupBy(errors, ({ c, x }) => `${formatEndpoint(c.responder)}|${Math.floor(x.status / 100)}`)].map(([key, list]) => {
      const server = key.split('|')[0];
      const serverError = list[0].x.status >= 500;
      return makeFinding('http.error_status', {
        severity: serverError ? 'high' : 'info',
        message: message('http.error_status', { server, responses: list.length, statuses: [...new Set(list.map(({ x }) => x.status))], requests: list.slice(0, 3).map(({ x }) => `${x.method} ${x.host}${x.uri}`), serverError }),
        frames: list.map(({ x }) => x.responseFrame),
        flow: { server },
        metrics: { responses: list.length },
        confidence: 1,
      });
    });
  },
});

/** Requests with no response before the connection ended. */
export const httpNoResponse = defineCheck({
  code: 'http.no_response',
  description: 'HTTP requests without a response',
  run: ({ tcp, thresholds }) =>
    tcp.flatMap((c) => {
      // Server data after the request means an answer came (one the HTTP parser could not read:
      // HTTP/0.9, a WebSocket or another protocol after an upgrade); ACKs for server data the
      // capture never saw mean the capture missed it. Neither is a request without a response.
      const open = (c.http?.exchanges ?? []).filter((x) => x.status < 0 && !(c.resp.lastDataNs > x.requestNs));
      if (open.length === 0) return [];
      // The client's ACKs moved on while the capture holds nothing from the server: it saw one direction.
      const missed = c.semantic.ackedUnseen > 0 || (c.resp.packets === 0 && c.orig.ackAdvances > 0);
      return [
        makeFinding('http.no_response', {
          message: message('http.no_response', { requests: open.length, server: formatEndpoint(c.responder), ending: c.state === 'SF' ? 'closed' : c.state.startsWith('RST') ? 'reset' : 'open', examples: open.slice(0, 3).map((x) => `${x.method} ${x.host}${x.uri}`) }),
          frames: open.map((x) => x.requestFrame),
          flow: tcpFlow(c),
          metrics: { unanswered: open.length },
          confidence: c.state === 'SF' || c.state.startsWith('RST') ? 0.9 : 0.5,
          ...(missed ? { severity: 'low' as const, reasons: [reason('capture.missed_server_data', { acks: c.semantic.ackedUnseen })] } : {}),
        }),
      ];
    }),
});

/** Responses slower than thresholds.httpSlowMs, per server. */
export const httpSlowResponse = defineCheck({
  code: 'http.slow_response',
  description: 'slow HTTP responses',
  run: ({ tcp, thresholds }) => {
    const slow = tcp.flatMap((c) => (c.http?.exchanges ?? []).filter((x) => x.responseNs >= 0 && (x.responseNs - x.requestNs) / 1e6 > thresholds.httpSlowMs).map((x) => ({ c, x })));
    return [...groupBy(slow, ({ c }) => formatEndpoint(c.responder))].map(([server, list]) => {
      const worst = Math.max(...list.map(({ x }) => (x.responseNs - x.requestNs) / 1e6));
      return makeFinding('http.slow_response', {
        message: message('http.slow_response', { responses: list.length, server, thresholdMs: thresholds.httpSlowMs, worstMs: Math.round(worst) }),
        frames: list.flatMap(({ x }) => [x.requestFrame, x.responseFrame]),
        flow: { server },
        metrics: { slowResponses: list.length, worstMs: Math.round(worst) },
      });
    });
  },
});
