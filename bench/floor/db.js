import postgres from "postgres";

/**
 * For the "same SQL" floor routes only: the project's own database (the bench
 * passes DATABASE_URL), through the same driver with its defaults (statements
 * prepared), and nothing else: no ORM, no logging, no job queue.
 */
export const sql = postgres(process.env.DATABASE_URL ?? "postgres://unset", { max: 10, onnotice: () => {} });
