import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/core/errors";
import { db, type Executor } from "@/lib/db";
import { isJsonContentType, readBytes } from "@/lib/http/body";
import { route, type RouteContext } from "@/lib/http/route";
import { idempotencyKeyOf, idempotent } from "./idempotency";
import { authenticateApiKey, requireScope, type ApiCaller } from "./keys";
import { enforceApiLimits } from "./limits";
import { fieldProblems, InvalidRequestError, writeProblem } from "./problem";
import type { ApiScope } from "./scopes";

/** The most a request body to /api/v1 may hold. */
export const API_BODY_MAX_BYTES = 64 * 1024;

type Params = Record<string, string | string[] | undefined>;

export type ApiContext<P extends Params> = RouteContext<ApiCaller, P> & {
  /** The database, or the write's transaction when the request has an Idempotency-Key: do all work through it. */
  db: Executor;
  /** The JSON body, checked against `schema` (400 with each field's error, unknown fields included). */
  input: <S extends z.ZodType>(schema: S) => z.output<S>;
  /** Runs `work` once the write is committed (after the idempotency transaction, when there is one): cache refreshes. */
  afterWrite: (work: () => void) => void;
};

export type ApiRouteOptions = {
  /** The scope the key needs (403 without it). */
  scope: ApiScope;
  /** A write: takes an `Idempotency-Key`, and a JSON body when `body` is set. */
  write?: { body: boolean };
};

/**
 * The shape of every /api/v1 Route Handler, on top of `route()` (request id, errors, outages):
 *
 * 1. the key (`Authorization: Bearer …`, 401 with `WWW-Authenticate` without a valid one);
 * 2. its limits, per key and per team (`RateLimit` headers on every answer, 429 past them);
 * 3. its scope (403);
 * 4. for a write, the JSON body (415 unless JSON, 413 past 64 KiB) and, with an `Idempotency-Key`,
 *    the write runs once (lib/api/idempotency.ts);
 * 5. the handler, which calls the same lib/ function as the Server Actions and answers a Response.
 *
 * Errors are RFC 9457 problem details (lib/api/problem.ts).
 *
 *   export const GET = apiRoute<{ id: string }>({ scope: "recipes:read" }, async ({ db, caller, params }) => {
 *     const recipe = await getRecipeForMember(db, apiActor(caller), params.id);
 *     if (!recipe) throw new RecipeNotFoundError();
 *     return Response.json(toRecipeJson(recipe));
 *   });
 */
export function apiRoute<P extends Params = Params>(
  options: ApiRouteOptions,
  handler: (context: ApiContext<P>) => Promise<Response>,
) {
  return route<ApiCaller, P>(
    { authenticate: (req) => authenticateApiKey(db, req), writeError: writeProblem },
    async (context) => {
      const { req, caller, headers } = context;
      await enforceApiLimits(caller, headers);
      requireScope(caller, options.scope);
      const afterwards: (() => void)[] = [];
      const afterWrite = (work: () => void) => void afterwards.push(work);
      if (!options.write) return handler({ ...context, db, input: noBody, afterWrite });

      const body = options.write.body ? await readApiBody(req) : new Uint8Array();
      const json = body.length > 0 ? parseJson(body) : undefined;
      const input = <S extends z.ZodType>(schema: S) => parseInput(schema, json);
      const key = idempotencyKeyOf(req);
      const path = new URL(req.url).pathname;
      const response = key
        ? await idempotent(db, { teamId: caller.teamId, key, method: req.method, path, body }, (tx) =>
            handler({ ...context, db: tx, input, afterWrite }),
          )
        : await handler({ ...context, db, input, afterWrite });
      for (const work of afterwards) work();
      return response;
    },
  );
}

function noBody(): never {
  throw new Error("apiRoute: this route reads no body (set `write: { body: true }`)");
}

async function readApiBody(req: Request): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  const hasBody = req.body !== null && declared !== "0";
  if (hasBody && !isJsonContentType(req.headers)) {
    throw new AppError("unsupported-type", "Send the body as application/json.", { reason: "not-json" });
  }
  return hasBody ? readBytes(req, API_BODY_MAX_BYTES) : new Uint8Array();
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    throw new InvalidRequestError(
      [{ pointer: "#", detail: "The body is not valid JSON (UTF-8)." }],
      "The body is not valid JSON.",
    );
  }
}

/** Parses a body or a query with `schema`: 400 with a JSON Pointer for each error (`#/title`), or a parameter's name. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: "body" | "query" = "body",
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors =
    where === "body"
      ? fieldProblems(parsed.error)
      : parsed.error.issues.map((issue) => ({ parameter: String(issue.path[0] ?? ""), detail: issue.message }));
  throw new InvalidRequestError(errors);
}
