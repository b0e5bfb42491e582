/**
 * Stand-in for `next/headers` in Vitest (the real one throws outside a request).
 * It behaves like a browser's cookie jar: cookies that Better Auth sets through
 * `cookies().set()` are sent back on the next `headers()` call. Inside
 * `asOneRequest()` it behaves as Next does within one request: `headers()` keeps
 * the cookies the browser sent, while `cookies()` shows what an action set.
 */
const jar = new Map<string, string>();
let sentCookies: string | null = null;

/**
 * Runs `work` as one request: a Server Action followed by the render of the page it revalidated, which Next
 * runs in the same request. `headers()` answers with the cookies as they were when the request began.
 */
export async function asOneRequest<T>(work: () => Promise<T>): Promise<T> {
  sentCookies = cookieHeader();
  try {
    return await work();
  } finally {
    sentCookies = null;
  }
}

export const cookieJar = {
  clear: () => jar.clear(),
  snapshot: () => new Map(jar),
  restore: (cookies: Map<string, string>) => {
    jar.clear();
    for (const [name, value] of cookies) jar.set(name, value);
  },
};

/** The address the fake request comes from (rate limits key on it). */
export const fakeClient = { ip: "127.0.0.1" };

function cookieHeader() {
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

export async function headers() {
  const result = new Headers({ "user-agent": "vitest", "x-forwarded-for": fakeClient.ip });
  const cookie = sentCookies ?? cookieHeader();
  if (cookie) result.set("cookie", cookie);
  return result;
}

export async function cookies() {
  return {
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    has: (name: string) => jar.has(name),
    set: (
      name: string | { name: string; value: string; maxAge?: number },
      value?: string,
      options?: { maxAge?: number },
    ) => {
      const cookie = typeof name === "string" ? { name, value: value ?? "", maxAge: options?.maxAge } : name;
      if (cookie.maxAge === 0 || cookie.value === "") jar.delete(cookie.name);
      else jar.set(cookie.name, cookie.value);
    },
    delete: (name: string) => jar.delete(name),
    toString: () => cookieHeader(),
  };
}
