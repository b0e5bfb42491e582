/**
 * What leaves for Sentry: ids, messages and stack traces, never a cookie, an
 * authorization header, a token, an email address or a request body. Sentry
 * sends headers, cookies and the client IP by default and filters only
 * secret-looking values, so every event goes through `scrubEvent` in
 * `beforeSend`. Plain data in, plain data out: the browser's init uses it too.
 */

export const REDACTED = "[redacted]";

// Object keys whose values are secrets or personal data, wherever they appear.
const SECRET_KEY =
  /pass(word|wd)?|secret|token|authori[sz]ation|cookie|api[-_]?key|signature|session|credential|^email$|^body$|^data$|^(ip_address|ip)$|^dsn$/i;

const EMAIL = /[\w.!#$%&'*+/=?^`{|}~-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}/gi;
// Bearer/Basic credentials, provider key formats (Stripe, Resend, webhook secrets, Trigger.dev, PostHog), JWTs.
const TOKEN =
  /\b(Bearer|Basic)\s+[\w.~+/=-]+|\b(sk|rk|pk)_(live|test)_[\w]+|\b(whsec|re|tr_dev|tr_prod|phc|phx)_[\w+/=]+|\beyJ[\w-]+\.[\w-]+\.[\w-]+/g;
// A query string or form-encoded pair whose name says secret: keep the name, drop the value.
const SECRET_PARAM = /([?&;](?:[\w-]*(?:token|secret|password|code|key|signature|email)[\w-]*)=)[^&#\s"']*/gi;

/** Removes emails, tokens and secret-looking query values from free text (messages, URLs, stack values). */
export function scrubText(text: string): string {
  return text.replace(EMAIL, "[email]").replace(TOKEN, REDACTED).replace(SECRET_PARAM, `$1${REDACTED}`);
}

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === "string") return scrubText(value);
  if (typeof value !== "object" || value === null) return value;
  if (depth > 12) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item != null ? REDACTED : scrubValue(item, depth + 1);
  }
  return out;
}

type LooseEvent = {
  request?: { method?: string; url?: string; headers?: Record<string, string> };
  user?: { id?: string | number };
  [key: string]: unknown;
};

/**
 * The `beforeSend` filter. The request keeps its method, its URL without the
 * query string and its harmless headers; the user keeps only an id; every other
 * string is cleaned of emails and tokens, and secret-named keys lose their values.
 */
export function scrubEvent<E extends object>(event: E): E {
  const { request, user, ...rest } = event as LooseEvent;
  const scrubbed = scrubValue(rest, 0) as LooseEvent;
  if (request) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (!SECRET_KEY.test(name) && !/^x-.*(key|auth)/i.test(name)) headers[name] = scrubText(String(value));
    }
    scrubbed.request = {
      method: request.method,
      url: request.url ? scrubText(request.url.split("?", 1)[0]!) : undefined,
      headers,
    };
  }
  if (user?.id !== undefined) scrubbed.user = { id: user.id };
  return scrubbed as E;
}
