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

const claimsOf = (kind: string) => {
  const claims = held.get(kind) ?? new Map<string, HeldClaim>();
  held.set(kind, claims);
  return claims;
};

/** Records that this process claimed row `id` of `kind`, locking it at `lockedAt`. */
export function holdClaim(kind: string, claim: HeldClaim): void {
  claimsOf(kind).set(claim.id, { id: claim.id, lockedAt: claim.lockedAt });
}

/** The row is finished (done, failed, or given up): forgets that claim, not a newer one of the same row. */
export function finishClaim(kind: string, claim: HeldClaim): void {
  const claims = claimsOf(kind);
  if (claims.get(claim.id)?.lockedAt.getTime() === claim.lockedAt.getTime()) claims.delete(claim.id);
}

/** The claims of `kind` this process holds now. */
export function heldClaims(kind: string): HeldClaim[] {
  return [...claimsOf(kind).values()];
}
