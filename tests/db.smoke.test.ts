import { expect, it } from "vitest";
import { db, pingDatabase, schema } from "@/lib/db";

it("smoke", async () => {
  expect(await pingDatabase()).toBe(true);
  const rows = await db.select().from(schema.recipes);
  expect(rows).toEqual([]);
});
