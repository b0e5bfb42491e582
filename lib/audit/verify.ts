import "server-only";
import { asc, gt } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { personalDigest, rowHash } from "./chain";

const { auditEvents } = schema;

export type BrokenLink = {
  /** The first row of its chain that does not match. */
  id: number;
  teamId: string | null;
  reason: "hash" | "personal-digest" | "prev-hash" | "out-of-order";
};

export type AuditVerification = {
  rows: number;
  chains: number;
  /** The first mismatch of every chain that has one, in the order the walk met them. */
  broken: BrokenLink[];
};

const BATCH = 2_000;

/**
 * Walks every chain in id order and checks each row: its personal digest (unless pseudonymised), its
 * own hash over its fields, and that it names the hash of the row before it in its chain. A chain's
 * first kept row may name a row that is gone: retention removes the oldest rows, so a chain starts at
 * whatever is left (docs/audit.md). Anything else out of place is named, first per chain.
 */
export async function verifyAuditChains(db: Executor): Promise<AuditVerification> {
  const last = new Map<string, { hash: string; occurredAt: Date }>();
  const broken = new Map<string, BrokenLink>();
  let rows = 0;
  let after = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.id, after))
      .orderBy(asc(auditEvents.id))
      .limit(BATCH);
    for (const row of batch) {
      rows++;
      const chain = row.organizationId ?? "";
      const previous = last.get(chain);
      last.set(chain, { hash: row.hash, occurredAt: row.occurredAt });
      if (broken.has(chain)) continue;
      const reason = mismatch(row, previous);
      if (reason) broken.set(chain, { id: row.id, teamId: row.organizationId, reason });
    }
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1]!.id;
  }
  return { rows, chains: last.size, broken: [...broken.values()] };
}

function mismatch(
  row: typeof auditEvents.$inferSelect,
  previous: { hash: string; occurredAt: Date } | undefined,
): BrokenLink["reason"] | null {
  if (
    row.personalSalt !== null &&
    personalDigest(row.personalSalt, row.actorLabel, row.metadata) !== row.personalDigest
  )
    return "personal-digest";
  if (rowHash(row) !== row.hash) return "hash";
  // The first row kept may follow rows retention removed; every later one must follow the row before it.
  if (previous && row.prevHash !== previous.hash) return "prev-hash";
  if (previous && row.occurredAt < previous.occurredAt) return "out-of-order";
  return null;
}
