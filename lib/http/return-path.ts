/**
 * The one check for every "where to go next" a client can choose (sign-in,
 * sign-up and magic-link `next`, Better Auth's callback URLs): only a path on
 * this site, compared after normalising the way browsers and servers do, so
 * `//host`, `/\host`, `/..//host`, their percent-encoded forms, backslashes and
 * control characters never leave the origin. Anything else is refused (undefined).
 */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== "string" || !value.startsWith("/")) return undefined;
  const decoded = decodeRepeatedly(value);
  // Browsers read "\" as "/" and drop tabs and newlines, so `/\evil` and `/<tab>/evil` are other hosts to them.
  if (decoded === undefined || /[\\\u0000-\u001f\u007f]/.test(decoded)) return undefined;
  const origin = "http://return-path.invalid";
  const url = new URL(value, origin);
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments are resolved by now: `/..//evil` has become `//evil`, which a Location header would send off-site.
  if (url.origin !== origin || startsWithTwoSlashes(path) || startsWithTwoSlashes(decodeRepeatedly(path) ?? "//")) {
    return undefined;
  }
  return path;
}

/** A return path, or where to go when there is none or it is refused. */
export function returnPathOr(value: unknown, fallback: string): string {
  return safeReturnPath(value) ?? fallback;
}

function startsWithTwoSlashes(path: string) {
  return /^\/[\/\\]/.test(path);
}

// `%252F` is `%2F` after one decoding and `/` after two: decode until nothing changes (or it is not valid).
function decodeRepeatedly(value: string): string | undefined {
  let current = value;
  for (let round = 0; round < 5; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return undefined;
    }
    if (next === current) return current;
    current = next;
  }
  return undefined;
}
