import { z } from "zod";
import { auth } from "@/lib/auth";
import { parseJsonBody } from "@/lib/http";
import { logger } from "@/lib/logger";
import { requestIdFrom } from "@/lib/request-id";
import { UploadRefusedError, type UploadRefusal } from "@/lib/uploads";
import { UPLOAD_BODY_MAX_BYTES } from "@/lib/uploads/schema";

/** The contract's status for each refusal (DESIGN.md, POST /api/uploads and /complete). */
const statusFor: Record<UploadRefusal, number> = {
  "not-configured": 503,
  "recipe-not-found": 404,
  "upload-not-found": 404,
  "too-large": 413,
  "unsupported-type": 415,
  "limit-reached": 429,
  "bad-object": 422,
};

type Parsed<T> = { userId: string; input: T } | { response: Response };

/** The upload routes' shared front half: signed in, JSON, small, valid; or the error response. */
export async function parseSignedInJson<S extends z.ZodType>(req: Request, schema: S): Promise<Parsed<z.output<S>>> {
  const fail = (status: number, error: unknown) => ({ response: Response.json({ error }, { status }) });
  const session = await auth.api.getSession({ headers: req.headers });
  if (!session) return fail(401, "Sign in to upload photos.");
  const parsed = await parseJsonBody(req, schema, UPLOAD_BODY_MAX_BYTES);
  if ("refusal" in parsed) return fail(parsed.refusal.status, parsed.refusal.error);
  return { userId: session.user.id, input: parsed.data };
}

/** A refusal becomes its status; anything else is the bucket or database failing (503, retry). */
export function refusalResponse(req: Request, error: unknown): Response {
  if (error instanceof UploadRefusedError) {
    const headers: Record<string, string> = error.reason === "limit-reached" ? { "Retry-After": "60" } : {};
    return Response.json({ error: error.message, reason: error.reason }, { status: statusFor[error.reason], headers });
  }
  logger.error({ err: error, requestId: requestIdFrom(req.headers) }, "upload failed: storage or database unavailable");
  return Response.json(
    { error: "Photo storage is not reachable right now. Please try again in a minute." },
    { status: 503, headers: { "Retry-After": "60" } },
  );
}
