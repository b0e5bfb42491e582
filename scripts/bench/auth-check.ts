/**
 * `npm run bench -- --auth-check`: what the public API's key check costs beside the session check
 * the pages and the app's own routes pay, on a fresh migrated PostgreSQL database beside
 * DATABASE_URL's. Both run in the benchmark's process as a server runs them: `authenticateApiKey`
 * (lib/api/keys.ts: the key's SHA-256, one indexed query joined with its maker's membership) and
 * Better Auth's `getSession` (the cookie's HMAC, then the session and its user). CPU comes from
 * /proc: this process (the Node side) and the database's backends (the Postgres side).
 */
import "../load-env";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { machineLine, postgresVersion, writeDocsSection } from "./markdown";
import { freshDatabase } from "./database";
import { backendCpuMicroseconds } from "./ratelimit";

type Measured = {
  label: string;
  checksPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  nodeUs: number;
  postgresUs: number;
};

export async function benchAuthCheck() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("--auth-check measures against PostgreSQL: set DATABASE_URL");
  const checks = Number(process.env.BENCH_AUTH_CHECKS ?? 5_000);
  const { url, name } = await freshDatabase(databaseUrl, "auth_check_bench");
  // The app's modules read the environment when they load: point them at the fresh database first.
  process.env.DATABASE_URL = url;
  process.env.LOG_LEVEL = "error";
  const { hashPassword } = await import("better-auth/crypto");
  const { eq, sql } = await import("drizzle-orm");
  const { db, schema, closeDatabase } = await import("@/lib/db");
  const { auth } = await import("@/lib/auth/config");
  const { authenticateApiKey, createApiKey } = await import("@/lib/api");
  const { createPersonalTeam } = await import("@/lib/teams");

  const email = `bench-${randomUUID()}@example.test`;
  const [user] = await db
    .insert(schema.user)
    .values({ id: randomUUID(), name: "Bench Cook", email, emailVerified: true })
    .returning();
  await db.insert(schema.account).values({
    id: randomUUID(),
    accountId: user!.id,
    providerId: "credential",
    userId: user!.id,
    password: await hashPassword("bench-password"),
  });
  const team = await createPersonalTeam(db, user!);
  const { key, id: keyId } = await createApiKey(
    db,
    { teamId: team.id, userId: user!.id },
    { name: "bench", scopes: ["recipes:read"], expiresInDays: null },
  );
  // "Last used" was just written: the checks below find it fresh and schedule no write, as a warm key's do.
  await db.update(schema.apikey).set({ lastRequest: new Date() }).where(eq(schema.apikey.id, keyId));
  const signedIn = await auth.api.signInEmail({ body: { email, password: "bench-password" }, asResponse: true });
  const cookie = signedIn.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  if (!cookie) throw new Error(`sign-in set no cookie (${signedIn.status})`);
  const sessionHeaders = new Headers({ cookie });
  const keyRequest = new Request("http://127.0.0.1/api/v1/recipes", { headers: { authorization: `Bearer ${key}` } });

  const backends = async () =>
    (
      (await db.execute(sql`select pid from pg_stat_activity where datname = ${name}`)) as unknown as { pid: number }[]
    ).map((row) => row.pid);

  const scenarios: { label: string; check: () => Promise<unknown> }[] = [
    {
      label: "API key (`Authorization: Bearer`, authenticateApiKey)",
      check: () => authenticateApiKey(db, keyRequest),
    },
    {
      label: "session cookie (Better Auth's getSession)",
      check: async () => {
        if (!(await auth.api.getSession({ headers: sessionHeaders }))) throw new Error("the session was not found");
      },
    },
  ];
  const loadBefore = os.loadavg()[0]!.toFixed(2);
  console.log(`\n# auth check: ${checks} checks per row, one at a time`);
  const results: Measured[] = [];
  for (const { label, check } of scenarios) {
    for (let i = 0; i < 1_000; i++) await check(); // warm-up: JIT, prepared statements, the pool
    const pids = await backends();
    const postgresBefore = backendCpuMicroseconds(pids);
    const nodeBefore = process.cpuUsage();
    const latencies: number[] = [];
    const started = performance.now();
    for (let i = 0; i < checks; i++) {
      const t = performance.now();
      await check();
      latencies.push(performance.now() - t);
    }
    const seconds = (performance.now() - started) / 1000;
    const node = process.cpuUsage(nodeBefore);
    latencies.sort((a, b) => a - b);
    const row: Measured = {
      label,
      checksPerSecond: checks / seconds,
      p50Ms: latencies[Math.floor(checks * 0.5)]!,
      p99Ms: latencies[Math.floor(checks * 0.99)]!,
      nodeUs: (node.user + node.system) / checks,
      postgresUs: (backendCpuMicroseconds(pids) - postgresBefore) / checks,
    };
    results.push(row);
    console.log(
      `${label}: ${row.checksPerSecond.toFixed(0)} checks/s, p50 ${row.p50Ms.toFixed(3)} ms, Node ${row.nodeUs.toFixed(0)} µs, Postgres ${row.postgresUs.toFixed(0)} µs`,
    );
  }
  await closeDatabase();

  const [keyRow, sessionRow] = results as [Measured, Measured];
  const markdown = [
    `Machine: ${machineLine(`${checks.toLocaleString("en")} checks per row, one at a time, in the benchmark's process`)} PostgreSQL ${await postgresVersion()} on the same machine; load average ${loadBefore} when the run began.`,
    "",
    "| check | checks/s | p50 ms | p99 ms | Node CPU µs/check | Postgres CPU µs/check |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...results.map(
      (r) =>
        `| ${r.label} | ${r.checksPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} | ${r.nodeUs.toFixed(0)} | ${r.postgresUs.toFixed(0)} |`,
    ),
    "",
    `The key check costs ${((keyRow.nodeUs + keyRow.postgresUs) / (sessionRow.nodeUs + sessionRow.postgresUs)).toFixed(2)}× the session check in CPU (Node and Postgres together).`,
  ].join("\n");
  console.log(`\n${markdown}\n`);
  writeDocsSection("bench-auth-check", markdown);
}
