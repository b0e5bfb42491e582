import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { apiScopes, listApiKeys, type ApiKeyListing } from "@/lib/api";
import { env } from "@/lib/core/env";
import { formatDateTime } from "@/lib/core/format";
import { db } from "@/lib/db";
import { can } from "@/lib/teams/permissions";
import { currentTeam } from "../current-team";
import { CreateApiKeyForm, RevokeApiKeyButton } from "./forms";

export const metadata: Metadata = { title: "API keys" };

/** The team's API keys, for its owners and admins: make one (shown once), see when each was last used, revoke. */
export default async function ApiKeysPage({ params }: { params: Promise<{ team: string }> }) {
  const { user, team } = await currentTeam(params, "/api-keys");
  if (!can(team.role, "apiKeys:manage")) notFound();
  const keys = await listApiKeys(db, { teamId: team.id, userId: user.id });
  const now = new Date();

  return (
    <section className="max-w-3xl space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="mt-1 text-sm text-stone-600">
          Software calls the <Link href="/docs/api">Recipe Box API</Link> with a key of this team, as the owner or admin
          who made it, within its scopes. A key stops working when it is revoked, when it expires, or when its maker is
          no longer an owner or admin here. Scopes: {apiScopes.join(", ")}.
        </p>
      </div>

      <CreateApiKeyForm apiUrl={`${env.appUrl}/api/v1`} />

      <div className="space-y-3">
        <h2 className="text-lg font-semibold">Keys</h2>
        {keys.length === 0 ? (
          <p className="text-sm text-stone-600">No keys yet.</p>
        ) : (
          <ul aria-label="API keys" className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
            {keys.map((key) => (
              <li key={key.id} className="flex flex-wrap items-start justify-between gap-3 p-4">
                <div className="min-w-0 space-y-1">
                  <p className="font-medium break-words">
                    {key.name} <code className="text-sm text-stone-500">{key.start}…</code>
                  </p>
                  <p className="text-sm text-stone-600">{key.scopes.join(", ") || "no scopes"}</p>
                  <p className="text-xs text-stone-500">
                    Made by {key.createdBy ?? "a former member"} {formatDateTime(key.createdAt)} ·{" "}
                    {key.lastUsedAt ? `last used ${formatDateTime(key.lastUsedAt)}` : "never used"} ·{" "}
                    {key.expiresAt ? `expires ${formatDateTime(key.expiresAt)}` : "never expires"}
                  </p>
                  <KeyStatus keyRow={key} now={now} />
                </div>
                <RevokeApiKeyButton keyId={key.id} name={key.name ?? "API key"} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function KeyStatus({ keyRow, now }: { keyRow: ApiKeyListing; now: Date }) {
  const problem =
    keyRow.expiresAt && keyRow.expiresAt <= now
      ? "Expired: requests with it are refused."
      : !keyRow.makerMayManageKeys
        ? "Not working: its maker is no longer an owner or admin of this team."
        : keyRow.enabled === false
          ? "Disabled."
          : null;
  return problem ? <p className="text-sm font-medium text-red-700">{problem}</p> : null;
}
