import { X509Certificate } from 'node:crypto';

/** What a support engineer needs from one certificate of a chain (TLS 1.2 and below send them in clear). */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** Subject alternative names, e.g. ["DNS:example.com"]. */
  san: string[];
  selfSigned: boolean;
  isCa: boolean;
  fingerprintSha256: string;
  /** Set when the DER could not be parsed. */
  error?: string;
}

export function parseCertificate(der: Uint8Array): CertificateInfo {
  try {
    const cert = new X509Certificate(Buffer.from(der.buffer, der.byteOffset, der.byteLength));
    return {
      subject: oneLine(cert.subject),
      issuer: oneLine(cert.issuer),
      validFrom: new Date(cert.validFrom).toISOString(),
      validTo: new Date(cert.validTo).toISOString(),
      san: (cert.subjectAltName ?? '').split(/,\s*/).filter((s) => s.length > 0),
      selfSigned: cert.subject === cert.issuer && safeCheck(() => cert.verify(cert.publicKey)),
      isCa: cert.ca,
      fingerprintSha256: cert.fingerprint256,
    };
  } catch (error) {
    return { subject: '', issuer: '', validFrom: '', validTo: '', san: [], selfSigned: false, isCa: false, fingerprintSha256: '', error: (error as Error).message };
  }
}

function oneLine(dn: string): string {
  return dn.split('\n').filter((x) => x.length > 0).join(', ');
}

function safeCheck(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}
