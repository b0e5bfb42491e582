import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { auth } from "@/lib/auth";
import { db, schema } from "@/lib/db";
import { cookieJar } from "@/tests/support/next/headers";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { signInAction, signOutAction, signUpAction } from "./actions";

vi.mock("next/headers", () => import("@/tests/support/next/headers"));
vi.mock("next/navigation", () => import("@/tests/support/next/navigation"));

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

const newEmail = () => `cook-${randomUUID()}@example.test`;

describe("signUpAction", () => {
  it("creates the user, signs them in and redirects to the dashboard", async () => {
    cookieJar.clear();
    const email = newEmail();
    await expect(signUpAction({}, form({ name: "Ann", email, password: "long-enough" }))).rejects.toEqual(new RedirectSignal("/dashboard"));
    const [user] = await db.select().from(schema.user).where(eq(schema.user.email, email));
    expect(user?.name).toBe("Ann");
    expect((await auth())?.user.email).toBe(email);
  });

  it("returns field errors and never echoes the password", async () => {
    cookieJar.clear();
    const state = await signUpAction({}, form({ name: "", email: "nope", password: "short" }));
    expect(Object.keys(state.fieldErrors ?? {}).sort()).toEqual(["email", "name", "password"]);
    expect(state.values).toEqual({ name: "", email: "nope" });
  });

  it("refuses an email that is already registered", async () => {
    const email = newEmail();
    await signUpAction({}, form({ name: "Ann", email, password: "long-enough" })).catch(() => {});
    cookieJar.clear();
    const state = await signUpAction({}, form({ name: "Ann again", email, password: "long-enough" }));
    expect(state.error).toMatch(/already exists/i);
    expect(await db.$count(schema.user, eq(schema.user.email, email))).toBe(1);
  });

  it("only redirects to paths on this site", async () => {
    cookieJar.clear();
    const attempt = signUpAction({}, form({ name: "Ann", email: newEmail(), password: "long-enough", next: "//evil.example" }));
    await expect(attempt).rejects.toEqual(new RedirectSignal("/dashboard"));
  });
});

describe("signInAction and signOutAction", () => {
  it("signs in with the right password, to the requested page, and out again", async () => {
    const email = newEmail();
    await signUpAction({}, form({ name: "Ben", email, password: "long-enough" })).catch(() => {});
    cookieJar.clear();
    expect(await auth()).toBeNull();

    const attempt = signInAction({}, form({ email, password: "long-enough", next: "/dashboard/recipes/new" }));
    await expect(attempt).rejects.toEqual(new RedirectSignal("/dashboard/recipes/new"));
    expect((await auth())?.user.email).toBe(email);

    await expect(signOutAction()).rejects.toEqual(new RedirectSignal("/"));
    expect(await auth()).toBeNull();
  });

  it("refuses a wrong password with a message and no session", async () => {
    const email = newEmail();
    await signUpAction({}, form({ name: "Cy", email, password: "long-enough" })).catch(() => {});
    cookieJar.clear();
    const state = await signInAction({}, form({ email, password: "wrong-password" }));
    expect(state.error).toMatch(/invalid email or password/i);
    expect(state.values).toEqual({ email });
    expect(await auth()).toBeNull();
  });

  it("returns field errors for a malformed email", async () => {
    const state = await signInAction({}, form({ email: "not-an-email", password: "" }));
    expect(state.fieldErrors?.email).toBeDefined();
    expect(state.fieldErrors?.password).toBeDefined();
  });
});
