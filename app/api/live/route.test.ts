import { expect, it } from "vitest";
import { GET } from "./route";

it("GET /api/live answers 200 {ok:true} without touching the database", async () => {
  const response = GET();
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ ok: true });
  expect(response.headers.get("cache-control")).toBe("no-store");
});
