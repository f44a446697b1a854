/**
 * What a deepl-node failure means for relais (pure). deepl-node's errors carry no HTTP status, so the
 * class is read first and the message second (`checkStatusCode` writes `Unexpected status code: 502 …`
 * and `Service unavailable` for 503).
 *
 * Every message that leaves this module is passed through `redact`: deepl-node's errors may wrap the
 * axios error, whose request config holds the `Authorization` header. Callers never attach the original
 * error as `cause` for the same reason.
 */
import { deeplNode } from './deepl-node-lazy.js';

export type FaultKind =
  /** 456: the character quota is used up. Never retried. */
  | 'quota'
  /** 403: the key is wrong or revoked. Never retried. */
  | 'auth'
  /** 429: too many requests; worth a pause. */
  | 'rate-limited'
  /** 5xx, timeouts, reset connections: worth a pause. */
  | 'unavailable'
  /** The host does not resolve or refuses connections (no network, a wrong DEEPL_SERVER_URL): pauses will not help. */
  | 'unreachable'
  /** 413: the body is too large for DeepL; split the batch. */
  | 'too-large'
  /** Anything else (400, a glossary that vanished, a bad answer): not retried. */
  | 'failed';

export interface Fault {
  kind: FaultKind;
  /** The HTTP status when it can be told, for messages. */
  status: number | undefined;
  /** deepl-node's message, with the key removed. */
  detail: string;
}

export function classifyDeepLError(e: unknown, authKey: string): Fault {
  const detail = redact(e instanceof Error ? e.message : String(e), authKey);
  const deepl = deeplNode();
  if (e instanceof deepl.QuotaExceededError) return { kind: 'quota', status: 456, detail };
  if (e instanceof deepl.AuthorizationError) return { kind: 'auth', status: 403, detail };
  if (e instanceof deepl.TooManyRequestsError) return { kind: 'rate-limited', status: 429, detail };
  if (e instanceof deepl.ConnectionError) {
    return { kind: /\b(ENOTFOUND|ECONNREFUSED)\b/.test(detail) ? 'unreachable' : 'unavailable', status: undefined, detail };
  }
  if (e instanceof deepl.DeepLError) {
    if (/^Service unavailable/.test(e.message)) return { kind: 'unavailable', status: 503, detail };
    const m = /^Unexpected status code: (\d{3})/.exec(e.message);
    const status = m ? Number(m[1]) : undefined;
    if (status === 413) return { kind: 'too-large', status, detail };
    if (status !== undefined && status >= 500) return { kind: 'unavailable', status, detail };
    return { kind: 'failed', status, detail };
  }
  return { kind: 'failed', status: undefined, detail };
}

/** Remove the key, and any `DeepL-Auth-Key …` header value, from a text. */
export function redact(text: string, authKey: string): string {
  let out = text.replace(/DeepL-Auth-Key\s+[^\s"',}]+/g, 'DeepL-Auth-Key [redacted]');
  if (authKey.length > 0) out = out.split(authKey).join('[redacted]');
  return out;
}
