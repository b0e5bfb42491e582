import type { Metadata } from "next";
import Link from "next/link";
import { Timestamp } from "@/app/_components/timestamp";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { requireOperator, searchTeams, searchUsers } from "@/lib/admin";
import { searchQuery } from "@/lib/admin/schema";
import { db } from "@/lib/db";
import { AdminNav } from "./admin-nav";

export const metadata: Metadata = { title: "Admin", robots: { index: false } };

type Search = { q?: string | string[]; page?: string | string[]; kind?: string | string[] };

/** The link to another page of the same search. */
function pageHref(kind: "users" | "teams", q: string, page: number) {
  const params = new URLSearchParams({ kind, page: String(page) });
  if (q) params.set("q", q);
  return `/admin?${params}`;
}

function Pager({ kind, q, page, hasMore }: { kind: "users" | "teams"; q: string; page: number; hasMore: boolean }) {
  if (page === 1 && !hasMore) return null;
  return (
    <nav aria-label={`More ${kind}`} className="flex items-center justify-between gap-2">
      {page > 1 ? (
        <Button asChild variant="secondary">
          <Link href={pageHref(kind, q, page - 1)}>Previous</Link>
        </Button>
      ) : (
        <span />
      )}
      <span className="text-sm text-stone-600">Page {page}</span>
      {hasMore ? (
        <Button asChild variant="secondary">
          <Link href={pageHref(kind, q, page + 1)}>Next</Link>
        </Button>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** /admin: find a user by address or name, or a team by name or slug (404 for everyone but an operator). */
export default async function AdminPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requireOperator();
  const raw = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const { q, page } = searchQuery.parse({ q: first(raw.q) ?? "", page: first(raw.page) ?? 1 });
  const kind = first(raw.kind) === "teams" ? "teams" : "users";
  const [users, teams] = await Promise.all([
    searchUsers(db, { q, page: kind === "users" ? page : 1 }),
    searchTeams(db, { q, page: kind === "teams" ? page : 1 }),
  ]);

  return (
    <div className="space-y-6">
      <AdminNav current="search" />
      <h1 className="text-2xl font-semibold">Users and teams</h1>
      <form role="search" action="/admin" className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1">
          <Label htmlFor="admin-q">Email, name or team slug</Label>
          <Input id="admin-q" name="q" type="search" defaultValue={q} className="mt-1" autoComplete="off" />
        </div>
        <Button type="submit">Search</Button>
      </form>

      <section aria-labelledby="users-heading" className="space-y-3">
        <h2 id="users-heading" className="text-lg font-semibold">
          Users
        </h2>
        {users.rows.length === 0 ? (
          <p className="text-sm text-stone-600">No user matches.</p>
        ) : (
          <ul aria-label="Users" className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
            {users.rows.map((found) => (
              <li key={found.id} className="flex flex-wrap items-center justify-between gap-2 p-3">
                <div className="min-w-0">
                  <Link href={`/admin/users/${found.id}`} className="font-medium break-all underline">
                    {found.email}
                  </Link>
                  <p className="text-sm text-stone-600">{found.name}</p>
                </div>
                <div className="flex flex-wrap items-center gap-2 text-xs text-stone-600">
                  {found.banned && <Badge variant="danger">banned</Badge>}
                  {!found.emailVerified && <Badge variant="warning">unconfirmed</Badge>}
                  <span>
                    joined <Timestamp date={found.createdAt} dateOnly />
                  </span>
                </div>
              </li>
            ))}
          </ul>
        )}
        <Pager kind="users" q={q} page={users.page} hasMore={users.hasMore} />
      </section>

      <section aria-labelledby="teams-heading" className="space-y-3">
        <h2 id="teams-heading" className="text-lg font-semibold">
          Teams
        </h2>
        {teams.rows.length === 0 ? (
          <p className="text-sm text-stone-600">No team matches.</p>
        ) : (
          <ul aria-label="Teams" className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
            {teams.rows.map((team) => (
              <li key={team.id} className="flex flex-wrap items-center justify-between gap-2 p-3">
                <div className="min-w-0">
                  <Link href={`/admin/teams/${team.id}`} className="font-medium break-all underline">
                    {team.name}
                  </Link>
                  <p className="text-sm break-all text-stone-600">/t/{team.slug}</p>
                </div>
                <p className="text-xs text-stone-600">
                  {team.personal ? "personal" : `${team.members} member${team.members === 1 ? "" : "s"}`}
                </p>
              </li>
            ))}
          </ul>
        )}
        <Pager kind="teams" q={q} page={teams.page} hasMore={teams.hasMore} />
      </section>
    </div>
  );
}
