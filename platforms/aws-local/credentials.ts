/**
 * The credentials of one set of local AWS stand-ins: made at random when they start,
 * given to the clients Baton makes (and printed by `baton serve`), and required of every
 * request, which must be signed with them (AWS Signature Version 4, as AWS requires).
 * Any other local process, or a web page, gets 403.
 */
import { randomBytes } from 'node:crypto';

export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export function newLocalCredentials(): LocalCredentials {
  return {
    // AWS access key ids are 20 upper-case letters and digits; ASIA/AKIA prefixes mean temporary/long-term, BATN is ours.
    accessKeyId: `BATN${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
}

/** The environment a function gets to reach the stand-ins with these credentials, as Lambda gives a function its role's. */
export function credentialsEnv(credentials: LocalCredentials): Record<string, string> {
  return { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
}
