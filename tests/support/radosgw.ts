import { execFile } from "node:child_process";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const script = path.join(import.meta.dirname, "../../scripts/radosgw.sh");

/** How the upload tests reach a radosgw (scripts/radosgw.sh prints these). */
export type Radosgw = {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop: () => Promise<void>;
};

export const radosgwInstalled = () =>
  run("sh", ["-c", "command -v radosgw && command -v ceph-mon && command -v ceph-osd"]).then(
    () => true,
    () => false,
  );

/** Two free adjacent ports: radosgw's and its monitor's. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
      server.on("error", reject);
    });
    const next = await new Promise<boolean>((resolve) => {
      const server = createServer().listen(port + 1, "127.0.0.1", () => server.close(() => resolve(true)));
      server.on("error", () => resolve(false));
    });
    if (next && port < 65535) return port;
  }
}

/**
 * The radosgw for one test file. CI starts one first (.ci/run, RADOSGW_PORT)
 * and it is reused; otherwise, where radosgw is installed, a throw-away one
 * starts on free ports (3-20 s) and `stop()` removes it.
 */
export async function startRadosgw(): Promise<Radosgw> {
  const shared = process.env.RADOSGW_PORT;
  const port = shared ? Number(shared) : await freePortPair();
  const dir = path.join(os.tmpdir(), `recipe-box-radosgw-${port}`);
  const scriptEnv = { ...process.env, RADOSGW_PORT: String(port), RADOSGW_DIR: dir };
  const { stdout } = await run("bash", [script, "start"], { env: scriptEnv, timeout: 120_000 });
  const vars = Object.fromEntries(
    stdout
      .trim()
      .split("\n")
      .map((line) => line.split("=", 2) as [string, string]),
  );
  return {
    endpoint: vars.S3_ENDPOINT!,
    region: vars.S3_REGION!,
    accessKeyId: vars.S3_ACCESS_KEY_ID!,
    secretAccessKey: vars.S3_SECRET_ACCESS_KEY!,
    // A shared one (CI's) outlives the file; our own goes with it.
    stop: shared ? async () => {} : async () => void (await run("bash", [script, "stop"], { env: scriptEnv })),
  };
}
