import "server-only";
import { env } from "@/lib/core/env";

/**
 * The client's IP as TRUST_PROXY says to find it, or undefined when no header
 * can be believed (`none`: `next start` passes a client's X-Forwarded-For through).
 * A hop count N takes the N-th X-Forwarded-For entry from the right: the one
 * the outermost of our own N proxies appended.
 */
export function clientIp(headers: Headers, trustProxy: string = env.trustProxy): string | undefined {
  if (trustProxy === "none") return undefined;
  // Vercel's edge overwrites both with what it saw; x-vercel-forwarded-for survives a proxy in front of Vercel.
  if (trustProxy === "vercel") return firstEntry(headers.get("x-vercel-forwarded-for") ?? headers.get("x-real-ip"));
  if (trustProxy === "cloudflare") return firstEntry(headers.get("cf-connecting-ip"));
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const hopCount = Number(trustProxy);
  return hops.length >= hopCount ? hops[hops.length - hopCount] : undefined;
}

function firstEntry(value: string | null): string | undefined {
  return value?.split(",")[0]?.trim() || undefined;
}
