import "server-only";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from "request-filtering-agent";
import { env } from "@/lib/core/env";

/** Standard Webhooks / Svix: an answer within 15 s counts; later is a failure. */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** How much of an answer's body is kept for the deliveries page. */
export const RESPONSE_BODY_LIMIT = 4096;

export type DeliveryAnswer = {
  ok: true;
  status: number;
  /** The `Retry-After` header, as sent. */
  retryAfter: string | null;
  /** The first RESPONSE_BODY_LIMIT bytes, as text. */
  body: string;
  latencyMs: number;
};
export type DeliveryFailure = {
  ok: false;
  /** Why no answer came, in words for the deliveries page (never an address). */
  error: string;
  /** The connection was refused by the address check: a retry would be refused too, unless DNS changes. */
  refusedAddress: boolean;
  latencyMs: number;
};

/**
 * Connections are checked when they are made (request-filtering-agent): the address a name
 * resolves to at that moment must be public unicast, so a name that resolves somewhere harmless
 * when the endpoint is saved and to 127.0.0.1 or 169.254.169.254 later (DNS rebinding) is still
 * refused. It refuses loopback, private (10/8, 172.16/12, 192.168/16), link-local (169.254/16:
 * cloud metadata; fe80::/10), carrier-grade NAT (100.64/10), unique local (fc00::/7), unspecified,
 * multicast and reserved addresses, and IPv4 written inside IPv6. Keep-alive reuses a connection
 * only to the address it was checked for.
 */
const agents = {
  strict: {
    http: new RequestFilteringHttpAgent({ keepAlive: true, allowPrivateIPAddress: false, allowMetaIPAddress: false }),
    https: new RequestFilteringHttpsAgent({ keepAlive: true, allowPrivateIPAddress: false, allowMetaIPAddress: false }),
  },
  // WEBHOOKS_ALLOW_PRIVATE_URLS: local receivers (development, tests, browser tests).
  open: {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  },
};

export type PostOptions = {
  timeoutMs?: number;
  /** Whether private and loopback addresses may be reached; WEBHOOKS_ALLOW_PRIVATE_URLS by default. */
  allowPrivate?: boolean;
  /** A resolver instead of the system's: tests stand in a DNS answer (a rebinding name) with it. */
  lookup?: LookupFunction;
};

/**
 * POSTs one webhook: the JSON body with its headers, no redirect followed (a 3xx is an answer, and
 * not a 2xx), a hard deadline for the whole exchange, and at most RESPONSE_BODY_LIMIT bytes of the
 * answer read. Never throws: a failure is a value.
 */
export function postWebhook(
  target: string,
  headers: Record<string, string>,
  body: string,
  { timeoutMs = DELIVERY_TIMEOUT_MS, allowPrivate = env.webhooksAllowPrivateUrls, lookup }: PostOptions = {},
): Promise<DeliveryAnswer | DeliveryFailure> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      resolve({ ok: false, error: "The URL is not valid.", refusedAddress: false, latencyMs: 0 });
      return;
    }
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:") {
      resolve({ ok: false, error: "Only http and https URLs are delivered to.", refusedAddress: false, latencyMs: 0 });
      return;
    }
    const pool = allowPrivate ? agents.open : agents.strict;
    let settled = false;
    const finish = (result: DeliveryAnswer | DeliveryFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const request = (secure ? https : http).request(
      {
        protocol: url.protocol,
        // URL keeps IPv6 literals in brackets; a connection wants the bare address.
        hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        agent: secure ? pool.https : pool.http,
        lookup,
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "RecipeBox-Webhooks/1.0",
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const answer = () =>
          finish({
            ok: true,
            status: response.statusCode ?? 0,
            retryAfter: headerValue(response.headers["retry-after"]),
            body: Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString("utf8").replaceAll("\u0000", ""),
            latencyMs: elapsed(),
          });
        response.on("data", (chunk: Buffer) => {
          if (kept >= RESPONSE_BODY_LIMIT) return;
          chunks.push(chunk);
          kept += chunk.length;
          // Enough kept: the rest is never read (a receiver cannot make us download a large answer).
          if (kept >= RESPONSE_BODY_LIMIT) {
            answer();
            response.destroy();
          }
        });
        response.on("end", answer);
        response.on("error", answer);
        response.on("close", answer);
      },
    );
    const deadline = setTimeout(() => {
      finish({
        ok: false,
        error: `No answer within ${timeoutMs / 1000} s.`,
        refusedAddress: false,
        latencyMs: elapsed(),
      });
      request.destroy();
    }, timeoutMs);
    request.on("error", (error) => finish(failureOf(error, elapsed())));
    request.end(body);
  });
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** A connection error in words for the page; the address itself stays out (it is in the URL the admin set). */
function failureOf(error: Error & { code?: string }, latencyMs: number): DeliveryFailure {
  if (/is not allowed/.test(error.message))
    return {
      ok: false,
      error:
        "Refused: the URL leads to a private, loopback, link-local or metadata address, which webhooks never reach.",
      refusedAddress: true,
      latencyMs,
    };
  const known: Record<string, string> = {
    ECONNREFUSED: "The connection was refused.",
    ECONNRESET: "The connection was closed before an answer.",
    ENOTFOUND: "The host name does not resolve.",
    EAI_AGAIN: "The host name could not be resolved (DNS did not answer).",
    ETIMEDOUT: "The connection timed out.",
    EHOSTUNREACH: "The host is unreachable.",
    ENETUNREACH: "The network is unreachable.",
    CERT_HAS_EXPIRED: "The TLS certificate has expired.",
    DEPTH_ZERO_SELF_SIGNED_CERT: "The TLS certificate is self-signed.",
    ERR_TLS_CERT_ALTNAME_INVALID: "The TLS certificate is not for this host name.",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "The TLS certificate could not be verified.",
  };
  return {
    ok: false,
    error: (error.code && known[error.code]) ?? `The request failed (${error.code ?? error.name}).`,
    refusedAddress: false,
    latencyMs,
  };
}
