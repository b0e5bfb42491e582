/** The tables' surroundings: the machine line, versions, and the section of docs/benchmarks.md each mode rewrites. */
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { connections, root, seconds } from "./settings";

/** Replaces what lies between `<!-- name:start -->` and `<!-- name:end -->` in docs/benchmarks.md. */
export function writeDocsSection(name: string, markdown: string) {
  const readme = path.join(root, "docs", "benchmarks.md");
  const text = readFileSync(readme, "utf8");
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  if (text.includes(start) && text.includes(end)) {
    writeFileSync(
      readme,
      `${text.slice(0, text.indexOf(start) + start.length)}\n${markdown}\n${text.slice(text.indexOf(end))}`,
    );
    console.log(`docs/benchmarks.md updated (${name}).`);
  }
}

export function machineLine(load = `autocannon ${connections} connections × ${seconds} s per route`) {
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}; ${load}, load generator on the same machine; measured ${new Date().toISOString().slice(0, 10)}.`;
}

export async function postgresVersion() {
  const client = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const [row] = await client<{ server_version: string }[]>`show server_version`;
    return row?.server_version.split(" ")[0] ?? "?";
  } finally {
    await client.end();
  }
}

export function nextVersion() {
  return (JSON.parse(readFileSync(path.join(root, "node_modules/next/package.json"), "utf8")) as { version: string })
    .version;
}
