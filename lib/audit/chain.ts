import { createHash, createHmac, randomBytes } from "node:crypto";
import type { AuditActorType } from "@/lib/db/schema";

/**
 * The hash chain. Each row's hash covers every field of the row and the hash of the previous row of
 * its chain (its team's; account-level events form one chain of their own). The words that name a
 * person (the actor's label, the metadata) are covered through `personal_digest`, an HMAC under a
 * random per-row salt: pseudonymising a deleted user's rows replaces the words and forgets the salt,
 * and the hash, which covers the digest, still holds. docs/audit.md explains the trade.
 */

export type ChainedFields = {
  organizationId: string | null;
  actorType: AuditActorType;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  occurredAt: Date;
  personalDigest: string;
  prevHash: string | null;
};

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, inner]) => inner !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(",")}}`;
}

export const newPersonalSalt = () => randomBytes(16).toString("hex");

export function personalDigest(salt: string, actorLabel: string, metadata: Record<string, unknown>): string {
  return createHmac("sha256", salt)
    .update(canonicalJson([actorLabel, metadata]))
    .digest("hex");
}

// The version names the layout: a later change of what is hashed starts "audit_events/v2" and verify knows both.
const HASH_VERSION = "audit_events/v1";

export function rowHash(row: ChainedFields): string {
  const fields = [
    HASH_VERSION,
    row.organizationId,
    row.actorType,
    row.actorId,
    row.action,
    row.targetType,
    row.targetId,
    row.ip,
    row.userAgent,
    row.requestId,
    row.occurredAt.toISOString(),
    row.personalDigest,
    row.prevHash,
  ];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}
