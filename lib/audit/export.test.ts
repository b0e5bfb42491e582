import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { GET as exportRoute } from "@/app/t/[team]/audit/export/route";
import { addMember, createTeam } from "@/lib/teams";
import { headers } from "@/tests/support/next/headers";
import { apiClient, inProcessFetch, makeApiKey } from "@/tests/support/api-client";
import { signUpTestUser } from "@/tests/support/users";
import { CSV_COLUMNS, csvField } from "./export";
import { recordAudit, type AuditEventInput } from "./record";

// The first sign-up migrates the embedded database and warms Better Auth: a hook's timeout, not a test's.
beforeAll(() => signUpTestUser(), 180_000);

/**
 * A team with a known log: made by its owner (team.created), with a key (api_key.created), then 3
 * recipe events by Ann, 2 team events by Bob and 1 by Stripe.
 */
async function teamWithLog() {
  const owner = await signUpTestUser("Olive Owner");
  const team = await createTeam(db, { name: "Export Kitchen", ownerId: owner.id });
  const key = await makeApiKey({ teamId: team.id, userId: owner.id }, { scopes: ["audit:read"] });
  const ann = { type: "user" as const, id: `user-ann-${randomUUID()}`, label: "Ann Cook <ann@example.test>" };
  const bob = { type: "user" as const, id: `user-bob-${randomUUID()}`, label: "Bob Baker <bob@example.test>" };
  const log: AuditEventInput[] = [
    {
      teamId: team.id,
      actor: ann,
      action: "recipe.created",
      target: { type: "recipe", id: "r1" },
      metadata: { title: 'Dal, "red"' },
    },
    { teamId: team.id, actor: bob, action: "team.member_invited", metadata: { role: "member" } },
    { teamId: team.id, actor: ann, action: "recipe.published", target: { type: "recipe", id: "r1" } },
    { teamId: team.id, actor: { type: "provider", id: "evt_1", label: "stripe" }, action: "billing.plan_changed" },
    { teamId: team.id, actor: bob, action: "team.member_role_changed", metadata: { from: "member", to: "admin" } },
    { teamId: team.id, actor: ann, action: "recipe.deleted", target: { type: "recipe", id: "=HYPERLINK(1)" } },
  ];
  for (const event of log) await recordAudit(db, event);
  return { team, owner, ann, bob, key: key.key };
}

type Page = {
  data: { id: string; action: string; hash: string; prev_hash: string | null }[];
  next_cursor: string | null;
};

const get = (key: string, query: Record<string, string>, accept = "application/json") =>
  inProcessFetch(`http://localhost/api/v1/audit-events?${new URLSearchParams(query)}`, {
    headers: { authorization: `Bearer ${key}`, accept },
  });

/** CSV text to rows of fields (RFC 4180 quoting). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted && char === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ",") {
      row.push(field);
      field = "";
    } else if (!quoted && char === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else {
      field += char;
    }
  }
  return rows;
}

describe("GET /api/v1/audit-events", () => {
  it("lists the team's events newest first, a page at a time, each page after the last", async () => {
    const { key } = await teamWithLog();
    const client = apiClient(key);
    const answer = await client.GET("/audit-events", { params: { query: { limit: 4 } } });
    expect(answer.response.status).toBe(200);
    // The operation answers JSON or CSV: this request asked for JSON.
    const first = { data: answer.data as Page };
    expect(first.data!.data.map((event) => event.action)).toEqual([
      "recipe.deleted",
      "team.member_role_changed",
      "billing.plan_changed",
      "recipe.published",
    ]);
    const second = {
      data: (
        await client.GET("/audit-events", {
          params: { query: { limit: 4, cursor: first.data!.next_cursor! } },
        })
      ).data as Page,
    };
    expect(second.data!.data.map((event) => event.action)).toEqual([
      "team.member_invited",
      "recipe.created",
      "api_key.created",
      "team.created",
    ]);
    expect(second.data!.next_cursor).toBeNull();
    // Each event names the one before it in the chain.
    const all = [...first.data!.data, ...second.data!.data];
    for (let i = 0; i < all.length - 1; i++) expect(all[i]!.prev_hash).toBe(all[i + 1]!.hash);
  });

  it("filters by actor (id or words of the label), action or area, and time; JSON and CSV agree", async () => {
    const { team, ann, key } = await teamWithLog();
    // Ann's first event happened a day ago (moved there the way only an attacker with the trigger off could).
    await db.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await db.execute(
      sql`update audit_events set occurred_at = occurred_at - interval '1 day' where organization_id = ${team.id} and action = 'recipe.created'`,
    );
    await db.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    const since = new Date(Date.now() - 60 * 60_000).toISOString();
    const cases: [Record<string, string>, string[]][] = [
      [{ actor: ann.id }, ["recipe.deleted", "recipe.published", "recipe.created"]],
      [{ actor: "bob baker" }, ["team.member_role_changed", "team.member_invited"]],
      [{ actor: "stripe" }, ["billing.plan_changed"]],
      [{ action: "recipe.published" }, ["recipe.published"]],
      [{ action: "team" }, ["team.member_role_changed", "team.member_invited", "team.created"]],
      [{ actor: "olive owner", action: "api_key.created" }, ["api_key.created"]],
      [{ actor: ann.id, since }, ["recipe.deleted", "recipe.published"]],
      [{ until: since }, ["recipe.created"]],
    ];
    for (const [query, actions] of cases) {
      const json = await get(key, query);
      expect(json.status).toBe(200);
      const body = (await json.json()) as { data: { id: string; action: string }[] };
      expect(
        body.data.map((event) => event.action),
        JSON.stringify(query),
      ).toEqual(actions);

      const csv = await get(key, query, "text/csv");
      expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      const [header, ...rows] = parseCsv(await csv.text());
      expect(header).toEqual([...CSV_COLUMNS]);
      expect(rows.map((row) => row[2])).toEqual(actions);
      expect(rows.map((row) => row[0])).toEqual(body.data.map((event) => event.id));
    }
  });

  it("CSV: quotes what needs it, guards formulas, and links the next page", async () => {
    const { key } = await teamWithLog();
    const csv = await get(key, { limit: "5" }, "text/csv");
    const link = csv.headers.get("link");
    expect(link).toMatch(/^<\/api\/v1\/audit-events\?limit=5&cursor=[\w-]+>; rel="next"$/);
    const [, ...rows] = parseCsv(await csv.text());
    expect(rows[0]![7]).toBe("'=HYPERLINK(1)");
    const next = await inProcessFetch(`http://localhost${link!.slice(1, link!.indexOf(">"))}`, {
      headers: { authorization: `Bearer ${key}`, accept: "text/csv" },
    });
    const [, ...rest] = parseCsv(await next.text());
    expect(rest.map((row) => row[2])).toEqual(["recipe.created", "api_key.created", "team.created"]);
    expect(JSON.parse(rest[0]![11]!)).toEqual({ title: 'Dal, "red"' });
    expect(csvField('say "hi", twice')).toBe('"say ""hi"", twice"');
  });

  it("needs the audit:read scope, and shows only the key's team", async () => {
    const { key } = await teamWithLog();
    const { key: other, ...rest } = await teamWithLog();
    void rest;
    const mine = (await (await get(key, {})).json()) as { data: unknown[] };
    const theirs = (await (await get(other, {})).json()) as { data: unknown[] };
    expect(mine.data).toHaveLength(8);
    expect(theirs.data).toHaveLength(8);
    expect(JSON.stringify(mine)).not.toEqual(JSON.stringify(theirs));
    const owner = await signUpTestUser("Scope Owner");
    const team = await createTeam(db, { name: "No Audit", ownerId: owner.id });
    const narrow = await makeApiKey({ teamId: team.id, userId: owner.id }, { scopes: ["recipes:read"] });
    const refused = await get(narrow.key, {});
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ reason: "insufficient-scope", required_scope: "audit:read" });
    const [row] = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.organizationId, team.id));
    expect(row).toBeDefined();
  });

  it("refuses a cursor or filter it cannot read (400)", async () => {
    const { key } = await teamWithLog();
    expect((await get(key, { cursor: "nonsense" })).status).toBe(400);
    expect((await get(key, { action: "recipe.eaten" })).status).toBe(400);
    expect((await get(key, { since: "yesterday" })).status).toBe(400);
  });
});

describe("the team page's export (/t/<team>/audit/export)", () => {
  const exportOf = async (slug: string, query: string) =>
    exportRoute(new Request(`http://localhost/t/${slug}/audit/export?${query}`, { headers: await headers() }), {
      params: Promise.resolve({ team: slug }),
    });

  it("downloads every event matching the page's filters, as CSV or JSON, for owners and admins only", async () => {
    const { team, owner, ann } = await teamWithLog();
    const [row] = await db
      .select({ slug: schema.organization.slug })
      .from(schema.organization)
      .where(eq(schema.organization.id, team.id));
    const slug = row!.slug;
    owner.actAs();
    const csv = await exportOf(slug, `format=csv&actor=${ann.id}&action=recipe`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-.+\.csv"$/);
    const [, ...rows] = parseCsv(await csv.text());
    expect(rows.map((fields) => fields[2])).toEqual(["recipe.deleted", "recipe.published", "recipe.created"]);

    const json = await exportOf(slug, "format=json&action=team.created");
    expect(((await json.json()) as { action: string }[]).map((event) => event.action)).toEqual(["team.created"]);

    const outsider = await signUpTestUser("Nosy Neighbour");
    await addMember(db, team.id, outsider.id, "member");
    outsider.actAs();
    expect((await exportOf(slug, "format=csv")).status).toBe(404);
  });
});
