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
