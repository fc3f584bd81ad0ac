import { generate } from 'selfsigned';
import { healthy } from './healthy.ts';
import type { Behaviour, BehaviourTools, Certificate } from './types.ts';

export interface ExpiringCertificateOptions {
  /** How long after start the certificate expires, ms (default 7 days: under a 14d condition). */
  validForMs?: number;
  /** Subject common name (default "localhost"); the certificate also names 127.0.0.1 and ::1. */
  commonName?: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Serves healthy answers over TLS with a self-signed certificate generated at start that expires
 * `validForMs` after the clock's now. The integration's probe uses `tls: { verify: false }` (the
 * certificate is self-signed) and `certificate_expires_in > 14d`, which fails with class
 * `condition` while every request succeeds.
 */
export async function expiringCertificate(
  tools: BehaviourTools,
  options: ExpiringCertificateOptions = {},
): Promise<Behaviour> {
  const validForMs = options.validForMs ?? 7 * DAY;
  const certificate = await selfSignedCertificate(
    options.commonName ?? 'localhost',
    tools.now() - HOUR,
    tools.now() + validForMs,
  );
  const serving = healthy(tools);
  return {
    ...serving,
    name: 'expiring-certificate',
    summary: `${serving.summary} over TLS; self-signed certificate expires ${new Date(certificate.expiresAt).toISOString()}`,
    certificate,
  };
}

async function selfSignedCertificate(
  commonName: string,
  notBefore: number,
  notAfter: number,
): Promise<Certificate> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(notBefore),
    notAfterDate: new Date(notAfter),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: commonName },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private, expiresAt: Math.floor(notAfter / 1000) * 1000 };
}
