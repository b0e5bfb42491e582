/**
 * `npm run audit:verify`: walks every team's audit chain (and the account-level one) in
 * DATABASE_URL's PostgreSQL or the embedded database, and names the first event of each chain that
 * does not match: changed, removed from the middle, or out of order. Exits 1 when one does.
 */
import "./load-env";
import { verifyAuditChains } from "@/lib/audit/verify";
import { closeDatabase, db } from "@/lib/db";

const reasons = {
  hash: "its fields do not match its hash (changed after it was written)",
  "personal-digest": "its label or metadata do not match their digest (changed after it was written)",
  "prev-hash": "it does not follow the event before it (an event before it was removed or rewritten)",
  "out-of-order": "it is dated before the event before it",
} as const;

async function main() {
  const { rows, chains, broken } = await verifyAuditChains(db);
  for (const link of broken) {
    console.error(
      `audit event ${link.id} (${link.teamId ? `team ${link.teamId}` : "account events"}): ${reasons[link.reason]}`,
    );
  }
  console.log(`${rows} audit events in ${chains} chains: ${broken.length ? `${broken.length} broken` : "all intact"}.`);
  await closeDatabase();
  return broken.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
