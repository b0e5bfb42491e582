/** What every part of `npm run bench` shares: ports, run lengths, paths (each overridable by BENCH_* variables). */
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");
export const port = Number(process.env.BENCH_PORT ?? 3200);
export const base = `http://127.0.0.1:${port}`;
export const seconds = Number(process.env.BENCH_SECONDS ?? 10);
export const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
export const webhookSecret = "whsec_bench_only_secret";
export const next = path.join(root, "node_modules/next/dist/bin/next");
export const floorDir = path.join(root, "bench", "floor");
export const floorPort = port + 1;
export const floorBase = `http://127.0.0.1:${floorPort}`;
export const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
export const warmUpSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 8);
