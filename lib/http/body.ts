import "server-only";
import { z } from "zod";
import { AppError, invalidInput } from "@/lib/core/errors";

const tooLarge = (maxBytes: number) =>
  new AppError("too-large", `The request body is too large (at most ${formatBytes(maxBytes)}).`, {
    reason: "body-too-large",
  });

const formatBytes = (bytes: number) => (bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`);

/**
 * Reads a request body, refusing it (`too-large`) as soon as it passes `maxBytes`: first by its
 * Content-Length, then by counting the bytes as they stream in (a client can lie about, or omit, the length).
 */
export async function readBytes(req: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("invalid", "The request body could not be read.", { reason: "body-unreadable", cause: error });
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** `readBytes` as text: what webhook signatures are computed over. */
export async function readText(req: Request, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readBytes(req, maxBytes));
}

/**
 * The same request with its body read within `maxBytes`, for handlers we do not write
 * ourselves (Better Auth's): they get the bounded copy and never read more than that.
 */
export async function withBoundedBody(req: Request, maxBytes: number): Promise<Request> {
  if (!req.body) return req;
  const body = await readBytes(req, maxBytes);
  return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
}

/** True for `application/json` and `application/<anything>+json`, with or without parameters. */
export function isJsonContentType(headers: Headers) {
  const type = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/**
 * What every JSON endpoint reads first: `application/json` (else `unsupported-type`), at most
 * `maxBytes` (else `too-large`, refused before more is read), and valid JSON (else `invalid`).
 */
export async function readJson(req: Request, maxBytes: number): Promise<unknown> {
  if (!isJsonContentType(req.headers))
    throw new AppError("unsupported-type", "Send the body as application/json.", { reason: "not-json" });
  const text = await readText(req, maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid", "The body is not valid JSON.", { reason: "malformed-json", fieldErrors: {} });
  }
}

/** `readJson`, then `schema` (`invalid`, with zod's form and field errors). */
export async function readJsonInput<S extends z.ZodType>(req: Request, schema: S, maxBytes: number) {
  const parsed = schema.safeParse(await readJson(req, maxBytes));
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data as z.output<S>;
}
