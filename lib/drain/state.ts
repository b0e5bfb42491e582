import "server-only";

// On globalThis: Next bundles route handlers separately, and every copy must see the one flag.
const shared = globalThis as unknown as { __drainingSince?: number };

/** True once the server has begun shutting down (SIGTERM): /api/health answers 503 from then on. */
export function isDraining(): boolean {
  return shared.__drainingSince !== undefined;
}

export function markDraining(): void {
  shared.__drainingSince ??= Date.now();
}
