import { z } from "zod";
import { InvalidRequestError } from "./problem";

/**
 * Cursors are opaque to clients: base64url of the last row's position in the list's order (its
 * creation time to the microsecond and its id). Anything that does not decode to one is a 400.
 */
const position = z.tuple([z.iso.datetime({ precision: 6 }), z.uuid()]);

export type Position = { createdAt: string; id: string };

export function encodeCursor({ createdAt, id }: Position): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [createdAt, id] = position.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { createdAt, id };
  } catch {
    throw new InvalidRequestError([
      { parameter: "cursor", detail: "Not a cursor from this list: pass a page's `next_cursor` unchanged." },
    ]);
  }
}

/** A list ordered by an ever-growing id (the audit log): the cursor is the last id shown, as opaque as the others. */
const idPosition = z.tuple([z.literal("id"), z.int().positive()]);

export function encodeIdCursor(id: number): string {
  return Buffer.from(JSON.stringify(["id", id])).toString("base64url");
}

export function decodeIdCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    return idPosition.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")))[1];
  } catch {
    throw new InvalidRequestError([
      { parameter: "cursor", detail: "Not a cursor from this list: pass a page's `next_cursor` unchanged." },
    ]);
  }
}
