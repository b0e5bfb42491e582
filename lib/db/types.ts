import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { NotificationHandlers, NotificationSubscription } from "./listen";
import type * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: lib functions accept either. */
export type Executor = Pick<Database, "select" | "insert" | "update" | "delete" | "transaction" | "query" | "execute">;

/** An open database: Postgres (createPostgresDatabase in client.ts) or the embedded one (embedded.ts). */
export type Connection = {
  db: Database;
  close: () => Promise<void>;
  listen: (channel: string, handlers: NotificationHandlers) => Promise<NotificationSubscription>;
};
