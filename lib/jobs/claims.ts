import "server-only";

/**
 * The rows this process has claimed and not yet finished (a webhook event it is processing, an
 * email it is sending), by kind. A server that is shutting down gives them back at once, instead
 * of leaving them locked until their lock goes stale: that is what lets another instance's sweeper
 * take them straight away. On globalThis, like the jobs themselves (lib/jobs/drain.ts).
 */
export type HeldClaim = { id: string; lockedAt: Date };

const shared = globalThis as unknown as { __heldClaims?: Map<string, Map<string, HeldClaim>> };
const held = (shared.__heldClaims ??= new Map());

const claimsOf = (kind: string): Map<string, HeldClaim> => {
  const claims = held.get(kind) ?? new Map<string, HeldClaim>();
  held.set(kind, claims);
  return claims;
};

type ClaimedRow = { id: string; lockedAt: Date | null };

/** Records the rows of `kind` this process just claimed (those under a lock), and answers them. */
export function holdClaims<R extends ClaimedRow>(kind: string, rows: R[]): R[] {
  const claims = claimsOf(kind);
  for (const { id, lockedAt } of rows) if (lockedAt) claims.set(id, { id, lockedAt });
  return rows;
}

/** The row is finished (done, failed, or given up): forgets that claim, not a newer one of the same row. */
export function finishClaim(kind: string, { id, lockedAt }: ClaimedRow): void {
  const claims = claimsOf(kind);
  if (lockedAt && claims.get(id)?.lockedAt.getTime() === lockedAt.getTime()) claims.delete(id);
}

/**
 * For a server that is shutting down: gives back every claim of `kind` this process holds.
 * `giveBack` unlocks the rows among `ids` still under `lockedAt` (a row another process took
 * over, or one finished meanwhile, stays as it is) and answers how many it changed; it is called
 * once per lock time. Answers how many went back in all.
 */
export async function releaseHeldClaims(
  kind: string,
  giveBack: (ids: string[], lockedAt: Date) => Promise<number>,
): Promise<number> {
  const byLock = Map.groupBy(claimsOf(kind).values(), (claim) => claim.lockedAt.getTime());
  let released = 0;
  for (const [lockedAt, claims] of byLock) {
    released += await giveBack(
      claims.map((claim) => claim.id),
      new Date(lockedAt),
    );
    for (const claim of claims) finishClaim(kind, claim);
  }
  return released;
}
