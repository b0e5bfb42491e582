/**
 * `npm run bench -- --first-compile`: what the first page of `npm run dev` costs on a cold start, the wait a
 * new user meets. Removes `.next/dev` (the dev build and Turbopack's cache), starts `next dev`, asks for `/`
 * until it answers, and reports the CPU seconds of the dev server's process tree (user + system, children that
 * already exited included) and the wall time. CPU seconds hardly move when other work shares the machine;
 * the wall time does. `--dir=<checkout>` measures another checkout (with its own node_modules), e.g. the
 * commit before a change.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { processTree } from "./processes";
import { port, root, rounds } from "./settings";

/** CPU seconds of a process tree, with what its exited children used (cutime, cstime). */
function cpuSecondsWithExitedChildren(rootPid: number): number {
  const ticks = processTree(rootPid).reduce((sum, { pid }) => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      return sum + Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      return sum;
    }
  }, 0);
  return ticks / 100; // USER_HZ
}

async function firstAnswer(url: string, pid: number, limitMs: number) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const status = await fetch(url, { signal: AbortSignal.timeout(limitMs) })
      .then((response) => response.status)
      .catch(() => 0);
    if (status === 200) return;
    if (processTree(pid).length === 0) throw new Error("next dev exited before answering");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no 200 from ${url} within ${limitMs / 1000} s`);
}

async function measureOnce(dir: string) {
  rmSync(path.join(dir, ".next", "dev"), { recursive: true, force: true });
  const data = mkdtempSync(path.join(os.tmpdir(), "recipe-box-first-compile-"));
  const started = Date.now();
  const server = spawn(
    process.execPath,
    [path.join(dir, "node_modules/next/dist/bin/next"), "dev", "-p", String(port)],
    {
      cwd: dir,
      detached: true,
      stdio: "ignore",
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NEXT_TELEMETRY_DISABLED: "1",
        // Its own embedded database and local S3 port: another dev server may be running beside it.
        PGLITE_DATA_DIR: path.join(data, "pglite"),
        S3_LOCAL_PORT: String(port + 2),
      } as unknown as NodeJS.ProcessEnv,
    },
  );
  try {
    await firstAnswer(`http://127.0.0.1:${port}/`, server.pid!, 10 * 60_000);
    return { cpuSeconds: cpuSecondsWithExitedChildren(server.pid!), wallSeconds: (Date.now() - started) / 1000 };
  } finally {
    process.kill(-server.pid!, "SIGKILL");
    rmSync(data, { recursive: true, force: true });
  }
}

export async function benchFirstCompile(dir = root) {
  console.log(`first GET / of a cold next dev in ${dir}, ${rounds} round(s)`);
  for (let round = 1; round <= rounds; round++) {
    const { cpuSeconds, wallSeconds } = await measureOnce(dir);
    console.log(`round ${round}: ${cpuSeconds.toFixed(1)} CPU s, ${wallSeconds.toFixed(1)} s wall`);
  }
}
