import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/uploads/route";
import { plans } from "@/lib/billing/plans";
import { db, schema } from "@/lib/db";
import { runSweep } from "@/lib/sweep";
import { headers } from "@/tests/support/next/headers";
import { MiB } from "@/tests/support/photos";
import { signUpTestUser } from "@/tests/support/users";
import { MAX_PENDING_UPLOADS, UploadRefusedError, requestPhotoUpload } from ".";

vi.mock("next/headers", () => import("@/tests/support/next/headers"));
vi.mock("next/cache", () => import("@/tests/support/next/cache"));

// Migrating the database and the first sign-up are slow on a busy machine: pay for them here, not in a test.
beforeAll(() => signUpTestUser("Warm-up"), 120_000);

async function cookWithRecipe() {
  const cook = await signUpTestUser();
  const [recipe] = await db.insert(schema.recipes).values({ userId: cook.id, title: "Soup" }).returning();
  return { cook, recipe: recipe! };
}

/** A photo already stored for the user: `bytes` of their allowance in use. */
async function storedPhoto(userId: string, recipeId: string | null, bytes: number) {
  await db.insert(schema.uploads).values({
    key: `${userId}/${randomUUID()}`,
    userId,
    recipeId,
    contentType: "image/jpeg",
    size: bytes,
    status: "attached",
    expiresAt: new Date(),
  });
}

async function requestUpload(recipeId: string, size: number) {
  const cookie = (await headers()).get("cookie")!;
  const response = await POST(
    new Request("http://localhost:3000/api/uploads", {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ recipeId, contentType: "image/jpeg", size }),
    }),
  );
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() };
}

describe("photo plan limits", () => {
  it("Free holds 10 MiB of photos: past that POST /api/uploads answers 429 and records nothing", async () => {
    const { cook, recipe } = await cookWithRecipe();
    const [other] = await db.insert(schema.recipes).values({ userId: cook.id, title: "Stew" }).returning();
    await storedPhoto(cook.id, other!.id, plans.free.photoStorageBytes - 2 * MiB);

    const refused = await requestUpload(recipe.id, 3 * MiB);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe("60");
    expect(refused.body.error).toContain("Free plan holds 10 MiB");
    expect(await db.select().from(schema.uploads).where(eq(schema.uploads.recipeId, recipe.id))).toEqual([]);

    expect((await requestUpload(recipe.id, 2 * MiB)).status).toBe(200);
  });

  it("replacing a recipe's photo does not count the photo it replaces", async () => {
    const { cook, recipe } = await cookWithRecipe();
    await storedPhoto(cook.id, recipe.id, plans.free.photoStorageBytes - 1 * MiB);
    expect((await requestUpload(recipe.id, 4 * MiB)).status).toBe(200);
  });

  it("Pro holds more", async () => {
    const { cook, recipe } = await cookWithRecipe();
    await db.insert(schema.subscriptions).values({
      id: `sub_${randomUUID()}`,
      userId: cook.id,
      customerId: "cus_test",
      status: "active",
      lastEventAt: new Date(),
    });
    const [other] = await db.insert(schema.recipes).values({ userId: cook.id, title: "Stew" }).returning();
    await storedPhoto(cook.id, other!.id, plans.free.photoStorageBytes);
    expect(plans.pro.photoStorageBytes).toBeGreaterThan(plans.free.photoStorageBytes);
    expect((await requestUpload(recipe.id, 5 * MiB)).status).toBe(200);
  });

  it(`refuses more than ${MAX_PENDING_UPLOADS} unfinished uploads at once`, async () => {
    const { cook, recipe } = await cookWithRecipe();
    for (let i = 0; i < MAX_PENDING_UPLOADS; i++)
      await requestPhotoUpload(db, cook.id, { recipeId: recipe.id, contentType: "image/png", size: 100 });
    await expect(
      requestPhotoUpload(db, cook.id, { recipeId: recipe.id, contentType: "image/png", size: 100 }),
    ).rejects.toMatchObject({ reason: "limit-reached" } satisfies Partial<UploadRefusedError>);
    expect((await requestUpload(recipe.id, 100)).status).toBe(429);
  });
});

describe("the sweep", () => {
  it("removes photos no recipe holds and abandoned uploads, with their objects", async () => {
    const { cook, recipe } = await cookWithRecipe();
    const stale = await requestPhotoUpload(db, cook.id, { recipeId: recipe.id, contentType: "image/png", size: 100 });
    await db
      .update(schema.uploads)
      .set({ createdAt: new Date(Date.now() - 2 * 24 * 60 * 60 * 1000) })
      .where(eq(schema.uploads.key, stale.key));
    await storedPhoto(cook.id, null, 1000);

    const result = await runSweep(db);
    expect(result.uploads).toEqual({ removed: 2, failed: 0 });
    expect(await db.select().from(schema.uploads).where(eq(schema.uploads.userId, cook.id))).toEqual([]);
  });
});
