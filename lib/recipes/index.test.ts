import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db, schema } from "@/lib/db";
import type { UploadStatus } from "@/lib/db/schema";
import { signUpTestUser } from "@/tests/support/users";
import { listRecipesWithPhotosForUser } from "./index";

vi.mock("next/headers", () => import("@/tests/support/next/headers"));

// The first sign-up migrates the embedded database and warms Better Auth: a hook's timeout, not a test's.
beforeAll(() => signUpTestUser(), 180_000);

async function recipeOf(userId: string, title: string, createdAt: Date) {
  const [recipe] = await db.insert(schema.recipes).values({ userId, title, createdAt }).returning();
  return recipe!;
}

async function photoOf(userId: string, recipeId: string | null, status: UploadStatus) {
  const [upload] = await db
    .insert(schema.uploads)
    .values({
      key: `${userId}/${randomUUID()}`,
      userId,
      recipeId,
      contentType: "image/png",
      size: 68,
      status,
      expiresAt: new Date(Date.now() + 60_000),
    })
    .returning();
  return upload!;
}

describe("the dashboard's recipe list, with each recipe's photo", () => {
  it("lists the owner's recipes newest first, each with its attached photo or null", async () => {
    const cook = await signUpTestUser();
    const older = await recipeOf(cook.id, "Older", new Date(Date.now() - 60_000));
    const newer = await recipeOf(cook.id, "Newer", new Date());
    const withoutPhoto = await recipeOf(cook.id, "No photo yet", new Date(Date.now() - 120_000));
    const photo = await photoOf(cook.id, older.id, "attached");
    // Neither a pending upload (not checked yet) nor a replaced photo (detached: no recipe) is shown.
    await photoOf(cook.id, withoutPhoto.id, "pending");
    await photoOf(cook.id, null, "attached");

    const list = await listRecipesWithPhotosForUser(db, cook.id);
    expect(list.map(({ id, title, photoId }) => ({ id, title, photoId }))).toEqual([
      { id: newer.id, title: "Newer", photoId: null },
      { id: older.id, title: "Older", photoId: photo.id },
      { id: withoutPhoto.id, title: "No photo yet", photoId: null },
    ]);
    expect(list[1]).toMatchObject({ userId: cook.id, published: false, ingredients: [] });
  });

  it("never includes another user's recipes or photos", async () => {
    const cook = await signUpTestUser();
    const other = await signUpTestUser("Other Cook");
    const mine = await recipeOf(cook.id, "Mine", new Date());
    const theirs = await recipeOf(other.id, "Theirs", new Date());
    await photoOf(other.id, theirs.id, "attached");

    expect((await listRecipesWithPhotosForUser(db, cook.id)).map(({ id, photoId }) => ({ id, photoId }))).toEqual([
      { id: mine.id, photoId: null },
    ]);
    expect((await listRecipesWithPhotosForUser(db, other.id)).map((recipe) => recipe.id)).toEqual([theirs.id]);
  });
});
