/**
 * What an event's metadata may hold: small facts (a role, a plan, a name, an event type list), never
 * a secret, a token, a password or a body. Keys named like one are dropped, values that look like one
 * are replaced, long text is refused, and the whole is kept small: whoever calls `recordAudit` with
 * the wrong thing gets a log line that names the key, not a leak that outlives the retention window.
 */

// A key that names a credential or a payload: dropped whatever it holds. `keyId`, `keyName` stay.
const SECRET_KEY = /secret|token|passw|pwd|authoriz|cookie|signature|credential|body|(^|_|[a-z])key$|^key/i;
const ALLOWED_KEY = /^(key(Id|Name|Prefix|Start)|apiKeyId|apiKeyName)$/;

// Values that look like a credential whatever the key: Stripe and Svix secrets, our API keys,
// bearer tokens, JWTs, PEM blocks, and long unbroken runs of letters and digits (a token or a hash;
// hyphens allowed only in a longer run, so ids with a UUID in them stay readable).
const SECRET_VALUE = [
  /\b(sk|rk|pk)_(live|test)_\w+/i,
  /\bwhsec_\w+/,
  /\brb_[A-Za-z0-9]{20,}/,
  /\bbearer\s+\S+/i,
  /\beyJ[\w-]+\.[\w-]+\.[\w-]+/,
  /-----BEGIN [A-Z ]+-----/,
  /[A-Za-z0-9+_=]{32,}/,
  /[A-Za-z0-9+_=-]{48,}/,
];

export const REDACTED = "[redacted]";
/** Longer text than this is a body or a description, not a fact about a change. */
export const MAX_TEXT_LENGTH = 200;
const MAX_DEPTH = 3;
const MAX_ENTRIES = 30;

export type SanitizedMetadata = { metadata: Record<string, unknown>; dropped: string[] };

const keyRefused = (key: string) => SECRET_KEY.test(key) && !ALLOWED_KEY.test(key);
const valueRefused = (value: string) =>
  value.length > MAX_TEXT_LENGTH || value.includes("\u0000") || SECRET_VALUE.some((shape) => shape.test(value));

/** The metadata as stored, and the paths of what was dropped or replaced (for a warning, never the values). */
export function sanitizeMetadata(input: Record<string, unknown> | undefined): SanitizedMetadata {
  const dropped: string[] = [];
  const clean = (value: unknown, path: string, depth: number): unknown => {
    if (value === null || typeof value === "boolean") return value;
    if (typeof value === "number") return Number.isFinite(value) ? value : null;
    if (typeof value === "string") {
      if (!valueRefused(value)) return value;
      dropped.push(path);
      return REDACTED;
    }
    if (value instanceof Date) return value.toISOString();
    if (depth >= MAX_DEPTH) {
      dropped.push(path);
      return REDACTED;
    }
    if (Array.isArray(value))
      return value.slice(0, MAX_ENTRIES).map((item, i) => clean(item, `${path}[${i}]`, depth + 1));
    if (typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value).slice(0, MAX_ENTRIES)) {
        const innerPath = path ? `${path}.${key}` : key;
        if (keyRefused(key)) {
          dropped.push(innerPath);
          continue;
        }
        if (inner !== undefined) out[key] = clean(inner, innerPath, depth + 1);
      }
      return out;
    }
    // Functions, symbols, bigints: not facts.
    dropped.push(path);
    return REDACTED;
  };
  return { metadata: (clean(input ?? {}, "", 0) as Record<string, unknown>) ?? {}, dropped };
}
