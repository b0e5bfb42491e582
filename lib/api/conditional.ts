import { AppError } from "@/lib/core/errors";

/** A versioned resource's strong ETag: `"v3"`. */
export const etagOf = (version: number) => `"v${version}"`;

/**
 * The versions an `If-Match` header accepts: undefined without the header or with `*` (any
 * version), else those of its strong ETags (a weak one never matches, RFC 9110 §13.1.1). A header
 * naming no version of ours can match nothing: the write is refused with 412, as a stale one is.
 */
export function ifMatchVersions(req: Request): number[] | undefined {
  const header = req.headers.get("if-match");
  if (header === null || header.trim() === "*") return undefined;
  const versions = header
    .split(",")
    .map((tag) => /^"v(\d{1,9})"$/.exec(tag.trim())?.[1])
    .filter((version): version is string => version !== undefined)
    .map(Number);
  if (versions.length === 0) {
    throw new AppError("stale", "If-Match names no version of this resource: GET it for its ETag.", {
      reason: "etag-mismatch",
    });
  }
  return versions;
}

/** Whether `If-None-Match` already names this version: the client's copy is current (304). */
export function notModified(req: Request, version: number): boolean {
  const header = req.headers.get("if-none-match");
  if (header === null) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etagOf(version));
}
