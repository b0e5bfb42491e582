import { expect, it } from "vitest";
import { GET } from "./route";

it("GET /api/live answers 200 {ok:true} without touching the database", async () => {
  const response = await GET(new Request("http://localhost/api/live", { headers: { "x-request-id": "req_live_1" } }));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ ok: true });
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("x-request-id")).toBe("req_live_1");
});
