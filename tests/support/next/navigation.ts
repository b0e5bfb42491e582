/** Stand-in for `next/navigation` in Vitest: redirect() and notFound() throw, as in Next. */
export class RedirectSignal extends Error {
  constructor(readonly url: string) {
    super(`redirect to ${url}`);
  }
}

export function redirect(url: string): never {
  throw new RedirectSignal(url);
}

export function notFound(): never {
  throw new Error("NEXT_NOT_FOUND");
}

/** Rethrows Next's own signals (redirect, notFound) and returns for anything else, as Next's does. */
export function unstable_rethrow(error: unknown): void {
  if (error instanceof RedirectSignal || (error instanceof Error && error.message === "NEXT_NOT_FOUND")) throw error;
}
