import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/uploads/route";
import { plans } from "@/lib/billing";
import { db, schema } from "@/lib/db";
import { runSweep } from "@/lib/cron";
import { addMember, createTeam } from "@/lib/teams";
import { headers } from "@/tests/support/next/headers";
import { MiB } from "@/tests/support/photos";
import { makePro, signUpTestUser } from "@/tests/support/users";
import { MAX_PENDING_UPLOADS, UploadRefusedError, requestPhotoUpload } from ".";

// Migrating the database and the first sign-up are slow on a busy machine: pay for them here, not in a test.
beforeAll(() => signUpTestUser("Warm-up"), 120_000);

type Author = { id: string; teamId: string };

async function recipeOf(author: Author, title: string) {
  const [recipe] = await db
    .insert(schema.recipes)
    .values({ organizationId: author.teamId, createdBy: author.id, title })
    .returning();
  return recipe!;
}

/** A cook (signed in) with a recipe in their personal team. */
async function cookWithRecipe() {
  const cook = await signUpTestUser();
  return { cook, recipe: await recipeOf(cook, "Soup") };
}

/** A photo already stored in the team by `uploader`: `bytes` of the team's allowance in use. */
async function storedPhoto(uploader: Author, recipeId: string | null, bytes: number) {
  await db.insert(schema.uploads).values({
    key: `${uploader.teamId}/${randomUUID()}`,
    organizationId: uploader.teamId,
    userId: uploader.id,
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
    const other = await recipeOf(cook, "Stew");
    await storedPhoto(cook, other.id, plans.free.photoStorageBytes - 2 * MiB);

    const refused = await requestUpload(recipe.id, 3 * MiB);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe("60");
    expect(refused.body.error).toContain("Free plan holds 10 MiB");
    expect(await db.select().from(schema.uploads).where(eq(schema.uploads.recipeId, recipe.id))).toEqual([]);

    expect((await requestUpload(recipe.id, 2 * MiB)).status).toBe(200);
  });

  it("replacing a recipe's photo does not count the photo it replaces", async () => {
    const { cook, recipe } = await cookWithRecipe();
    await storedPhoto(cook, recipe.id, plans.free.photoStorageBytes - 1 * MiB);
    expect((await requestUpload(recipe.id, 4 * MiB)).status).toBe(200);
  });

  it("the allowance is the team's: another member's photos count against it, another team's do not", async () => {
    const owner = await signUpTestUser("Photo Owner");
    const team = await createTeam(db, { name: "Photo Kitchen", ownerId: owner.id });
    const { cook, recipe: personalRecipe } = await cookWithRecipe();
    await addMember(db, team.id, cook.id, "member");
    const recipe = await recipeOf({ id: cook.id, teamId: team.id }, "Shared soup");
    const ownersRecipe = await recipeOf({ id: owner.id, teamId: team.id }, "Owner's stew");
    await storedPhoto({ id: owner.id, teamId: team.id }, ownersRecipe.id, plans.free.photoStorageBytes - 2 * MiB);
    // The cook's personal team is full too: it is not the team the shared recipe's photo goes to.
    await storedPhoto(cook, personalRecipe.id, plans.free.photoStorageBytes);

    const refused = await requestUpload(recipe.id, 3 * MiB);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toContain("Free plan holds 10 MiB");

    const accepted = await requestUpload(recipe.id, 2 * MiB);
    expect(accepted.status).toBe(200);
    const [pending] = await db.select().from(schema.uploads).where(eq(schema.uploads.recipeId, recipe.id));
    expect(pending).toMatchObject({ organizationId: team.id, userId: cook.id, status: "pending" });
    expect(pending!.key.startsWith(`${team.id}/`)).toBe(true);
  });

  it("Pro holds more", async () => {
    const { cook, recipe } = await cookWithRecipe();
    await makePro(cook.teamId);
    const other = await recipeOf(cook, "Stew");
    await storedPhoto(cook, other.id, plans.free.photoStorageBytes);
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
    await storedPhoto(cook, null, 1000);

    const result = await runSweep(db);
    expect(result.uploads).toEqual({ removed: 2, failed: 0 });
    expect(await db.select().from(schema.uploads).where(eq(schema.uploads.organizationId, cook.teamId))).toEqual([]);
  });
});
