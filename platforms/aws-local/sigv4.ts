/**
 * Verifies AWS Signature Version 4 on requests to the local stand-ins, with the signer the
 * AWS SDK itself uses (@smithy/signature-v4): the request is signed again from what
 * arrived (method, path, query, the headers it lists as signed, the body) with the
 * stand-ins' credentials, and the signatures must match. The body must hash to the
 * `x-amz-content-sha256` the request claims, and the date be within 15 minutes.
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LocalCredentials } from './credentials.ts';

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;
const MAX_SKEW_MS = 15 * 60 * 1000;

/** The SDK's checksum interface over node:crypto (what @smithy/hash-node does). */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

class Sha256 {
  private hash: Hash | Hmac;
  private readonly secret: string | Uint8Array | undefined;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : bytes(secret);
    this.hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}

/** Why the request is not signed with `credentials` for `service`, or undefined when it is. */
export async function signatureProblem(request: IncomingMessage, body: Buffer, credentials: LocalCredentials, service: string): Promise<string | undefined> {
  const header = request.headers['authorization'];
  if (typeof header !== 'string') return 'the request is not signed (no Authorization header)';
  const parsed = AUTHORIZATION.exec(header);
  if (!parsed) return 'the Authorization header is not AWS Signature Version 4';
  const [, accessKeyId, , region, signedService, signedHeaders, signature] = parsed as unknown as string[];
  if (accessKeyId !== credentials.accessKeyId) return `the access key ${accessKeyId} is not this stand-in's`;
  if (signedService !== service) return `the request is signed for ${signedService}, not ${service}`;
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!date) return 'no valid X-Amz-Date header';
  const signingDate = new Date(Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!));
  if (Math.abs(Date.now() - signingDate.getTime()) > MAX_SKEW_MS) return 'the signature is more than 15 minutes old or new';
  const claimed = request.headers['x-amz-content-sha256'];
  if (typeof claimed === 'string' && claimed !== 'UNSIGNED-PAYLOAD' && claimed !== createHash('sha256').update(body).digest('hex')) {
    return 'the body does not match its x-amz-content-sha256';
  }
  const names = signedHeaders!.split(';');
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = request.headers[name];
    if (value === undefined) return `the signed header ${name} is missing`;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const url = new URL(request.url ?? '/', 'http://stand-in');
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const earlier = query[key];
    query[key] = earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value];
  }
  // applyChecksum: false, so that it adds no x-amz-content-sha256 of its own: botocore (the AWS CLI) does not send one.
  const signer = new SignatureV4({ credentials, region: region!, service, sha256: Sha256, uriEscapePath: service !== 's3', applyChecksum: false });
  const signed = await signer.sign(
    { method: request.method ?? 'GET', protocol: 'http:', hostname: 'stand-in', path: url.pathname, query, headers, body },
    { signingDate, signableHeaders: new Set(names) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers['authorization']))?.[1] ?? '';
  const ok = expected.length === signature!.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature!));
  return ok ? undefined : 'the signature does not match (wrong secret key, or the request was changed)';
}
