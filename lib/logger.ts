import "server-only";
import pino from "pino";
import { env } from "@/lib/env";

/**
 * Structured JSON logs (one object per line), so a host's log search can filter
 * by `requestId`, `eventId` or `jobId`. Use `logger.child({ requestId })` to
 * carry a request's id into everything it causes.
 */
export const logger = pino({
  level: env.LOG_LEVEL ?? (env.isTest ? "silent" : "info"),
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

export type Logger = typeof logger;
