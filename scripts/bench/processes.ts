/** The processes a benchmark starts and watches: a command run to its end, and a process tree's CPU and memory from /proc (Linux). */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { root } from "./settings";

/** Every process on the machine with its parent and CPU ticks so far, from /proc (Linux). */
export function processStats() {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        // Fields after the command name (which may contain spaces): state ppid ... utime(14) stime(15)
        const text = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
        return [{ pid: Number(pid), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }];
      } catch {
        return []; // exited meanwhile
      }
    });
}

/** A process and all its descendants (a server may fork workers). */
export function processTree(rootPid: number) {
  const stats = processStats();
  const inTree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const stat of stats)
      if (!inTree.has(stat.pid) && inTree.has(stat.ppid)) {
        inTree.add(stat.pid);
        grew = true;
      }
  }
  return stats.filter((stat) => inTree.has(stat.pid));
}

/** CPU seconds (user + system) used so far by a process and all its descendants. */
export function cpuSecondsOfTree(rootPid: number): number {
  const ticksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on
  return processTree(rootPid).reduce((sum, stat) => sum + stat.ticks, 0) / ticksPerSecond;
}

/** Resident memory of a process and all its descendants, in bytes (VmRSS from /proc). */
export function rssOfTree(rootPid: number): number {
  return processTree(rootPid).reduce((sum, { pid }) => {
    try {
      const kib = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m)?.[1];
      return sum + Number(kib ?? 0) * 1024;
    } catch {
      return sum;
    }
  }, 0);
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = root) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: "inherit" });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

/**
 * Waits until the server has finished the work the load left behind (the
 * in-process jobs a burst of contact messages or webhooks queues run after
 * their responses): CPU under 5 % for half a second, or 60 s at most.
 */
export async function waitUntilIdle(pid: number) {
  const deadline = Date.now() + 60_000;
  let before = cpuSecondsOfTree(pid);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = cpuSecondsOfTree(pid);
    if (now - before < 0.025) return;
    before = now;
  }
}
