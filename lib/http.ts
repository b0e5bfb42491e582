import "server-only";
import { z } from "zod";

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The request body is larger than ${maxBytes} bytes.`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Reads a request body as text, refusing it as soon as it passes `maxBytes`:
 * first by its Content-Length, then by counting the bytes as they stream in
 * (a client can lie about, or omit, the length).
 */
export async function readBodyWithLimit(req: Request, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readBytesWithLimit(req, maxBytes));
}

async function readBytesWithLimit(req: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Wraps a Route Handler we do not write ourselves (Better Auth's) so a body over
 * `maxBytes` gets 413 before more than `maxBytes` of it is read; the handler then
 * gets the same request with the bounded body.
 */
export function withBodyLimit(maxBytes: number, handler: (req: Request) => Promise<Response>) {
  return async (req: Request): Promise<Response> => {
    if (!req.body) return handler(req);
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await readBytesWithLimit(req, maxBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return Response.json({ error: `The request body is too large (at most ${maxBytes} bytes).` }, { status: 413 });
    }
    return handler(new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal }));
  };
}

/** True for `application/json` and `application/<anything>+json`, with or without parameters. */
export function isJsonContentType(headers: Headers) {
  const type = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/** Why a request body was refused: the status and the `error` of the contract's JSON answer. */
export type BodyRefusal = { status: 400 | 413 | 415; error: unknown };

/**
 * The front half every JSON Route Handler shares: `application/json` (415),
 * at most `maxBytes` (413, refused before more is read), and valid JSON (400).
 * Returns the parsed body, or the refusal to answer with.
 */
export async function readJsonBody(
  req: Request,
  maxBytes: number,
): Promise<{ body: unknown } | { refusal: BodyRefusal }> {
  if (!isJsonContentType(req.headers)) return { refusal: { status: 415, error: "Send the body as application/json." } };
  let raw: string;
  try {
    raw = await readBodyWithLimit(req, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      return { refusal: { status: 413, error: `The request body is too large (at most ${maxBytes / 1024} KiB).` } };
    return {
      refusal: { status: 400, error: { formErrors: ["The request body could not be read."], fieldErrors: {} } },
    };
  }
  try {
    return { body: JSON.parse(raw) };
  } catch {
    return { refusal: { status: 400, error: { formErrors: ["The body is not valid JSON."], fieldErrors: {} } } };
  }
}

/** `readJsonBody`, then `schema` (400 with zod's form and field errors). */
export async function parseJsonBody<S extends z.ZodType>(
  req: Request,
  schema: S,
  maxBytes: number,
): Promise<{ data: z.output<S> } | { refusal: BodyRefusal }> {
  const read = await readJsonBody(req, maxBytes);
  if ("refusal" in read) return read;
  const parsed = schema.safeParse(read.body);
  if (!parsed.success) return { refusal: { status: 400, error: z.flattenError(parsed.error) } };
  return { data: parsed.data };
}
