import { redirect } from "next/navigation";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/core/errors";
import { logger, safeError } from "@/lib/core/logger";
import { runWithRequestContext } from "@/lib/observability/request-context";
import { form } from "@/tests/support/form";
import { RedirectSignal } from "@/tests/support/next/navigation";
import { validatedAction } from "./validated";

const schema = z.object({ title: z.string().min(1, { error: "Add a title." }), password: z.string().optional() });

describe("validatedAction: lib/'s AppErrors become the form's message", () => {
  it("shows a refusal above the form, keeps what was typed (never a password), and offers the upgrade", async () => {
    const action = validatedAction(schema, async () => {
      throw new AppError("limit-reached", "The Free plan is full.", { upgrade: true });
    });
    expect(await action({}, form({ title: "Soup", password: "hunter22" }))).toEqual({
      error: "The Free plan is full.",
      upgrade: true,
      values: { title: "Soup" },
    });
  });

  it("puts a refusal that names a field on that field", async () => {
    const action = validatedAction(schema, async () => {
      throw new AppError("forbidden", "That is not your password.", { field: "password" });
    });
    expect(await action({}, form({ title: "Soup", password: "wrong" }))).toEqual({
      fieldErrors: { password: ["That is not your password."] },
      values: { title: "Soup" },
    });
  });

  it("answers invalid fields without calling the handler", async () => {
    let called = false;
    const action = validatedAction(schema, async () => {
      called = true;
    });
    expect(await action({}, form({ title: "" }))).toMatchObject({ fieldErrors: { title: ["Add a title."] } });
    expect(called).toBe(false);
  });
});

describe("validatedAction: text Postgres cannot store is a field error on any field", () => {
  it("refuses a NUL in any field, names the field, and never calls the handler", async () => {
    let called = false;
    const action = validatedAction(z.object({ title: z.string(), note: z.string() }), async () => {
      called = true;
    });
    for (const [field, fields] of [
      ["title", { title: "Secret\u0000Recipe", note: "fine" }],
      ["note", { title: "fine", note: "a note\u0000" }],
    ] as const) {
      const state = await action({}, form(fields));
      expect(state.fieldErrors, field).toEqual({
        [field]: ["Remove the invisible control characters from this field."],
      });
      // The form keeps the rest of what was typed, and never echoes the character back.
      expect(state.values, field).toEqual({ [field === "title" ? "note" : "title"]: "fine" });
    }
    expect(called).toBe(false);
    // (A lone surrogate cannot arrive in a form post: FormData and the multipart parser turn it into U+FFFD.)
    expect(form({ title: "half \ud83d" }).get("title")).toBe("half \ufffd");
  });
});

describe("validatedAction: a failure that is not a refusal", () => {
  it("answers the form with a message and the request id, and the log carries no query parameter or field value", async () => {
    const printed: string[] = [];
    const spies = (["error", "warn", "log", "info"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args) => void printed.push(args.map(String).join(" "))),
    );
    const logged = vi.spyOn(logger, "error").mockImplementation(() => {});
    const query = Object.assign(
      new Error('Failed query: insert into "recipes" ("title") values ($1)\nparams: user-7,Secret canary recipe'),
      { query: 'insert into "recipes"', params: ["user-7", "Secret canary recipe"] },
    );
    const action = validatedAction(schema, async () => {
      throw query;
    });
    const state = await runWithRequestContext({ requestId: "req-canary" }, () => action({}, form({ title: "Soup" })));
    expect(state).toMatchObject({ error: expect.stringContaining("req-canary"), values: { title: "Soup" } });
    expect(logged).toHaveBeenCalledTimes(1);
    const line = JSON.stringify(
      safeError(logged.mock.calls[0]![0] && (logged.mock.calls[0]![0] as { err: unknown }).err),
    );
    expect(line).toContain("Failed query");
    expect(line).not.toContain("Secret canary recipe");
    expect(printed.join("\n")).not.toContain("Secret canary recipe");
    for (const spy of [...spies, logged]) spy.mockRestore();
  });

  it("still lets Next's redirect through", async () => {
    const action = validatedAction(schema, async () => redirect("/dashboard"));
    await expect(action({}, form({ title: "Soup" }))).rejects.toBeInstanceOf(RedirectSignal);
  });
});
