/**
 * Runs wrk (https://github.com/wg/wrk, `apt-get install wrk`): a C load
 * generator, so the measuring costs the shared CPU far less than a Node one
 * would. A request is described as plain data and turned into a Lua script;
 * `requestsFile` cycles through pre-built requests (distinct signed webhooks).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type WrkRequest = {
  method?: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** A file of requests, one a line: `<headers as JSON>\t<body>`; each is sent once in turn (then from the start). */
  requestsFile?: string;
};

export type WrkResult = {
  rps: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  /** Bytes read per response, headers included (wrk's "MB read" over its request count). */
  bytesPerResponse: number;
  /** Responses other than 2xx or 3xx. */
  non2xx: number;
  socketErrors: number;
};

const scriptDir = mkdtempSync(path.join(os.tmpdir(), "bench-wrk-"));
let scripts = 0;

const lua = (value: string) => JSON.stringify(value); // a JSON string is a valid Lua string literal for this text

function script(request: WrkRequest): string {
  const file = path.join(scriptDir, `request-${++scripts}.lua`);
  const headers = Object.entries(request.headers ?? {})
    .map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`)
    .join("\n");
  const body = request.requestsFile
    ? `
local requests, i = {}, 0
-- In init, not at load: wrk sets the Host header that wrk.format copies only after loading the script.
init = function()
  for line in io.lines(${lua(request.requestsFile)}) do
    local tab = line:find("\\t", 1, true)
    local headers = {}
    for name, value in line:sub(1, tab - 1):gmatch('"([^"]+)":"([^"]*)"') do headers[name] = value end
    requests[#requests + 1] = wrk.format(${lua(request.method ?? "POST")}, ${lua(request.path)}, headers, line:sub(tab + 1))
  end
end
request = function()
  i = i % #requests + 1
  return requests[i]
end`
    : `
wrk.method = ${lua(request.method ?? "GET")}
wrk.path = ${lua(request.path)}
${request.body === undefined ? "" : `wrk.body = ${lua(request.body)}`}
${headers}`;
  writeFileSync(file, body);
  return file;
}

function toMs(value: string, unit: string) {
  const n = Number(value);
  return unit === "us" ? n / 1000 : unit === "s" ? n * 1000 : n;
}

export function parseWrkOutput(text: string): WrkResult {
  const latency = (p: string) => {
    const match = text.match(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m"));
    return match ? toMs(match[1]!, match[2]!) : Number.NaN;
  };
  const socket = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const requests = Number(text.match(/(\d+) requests in/)?.[1] ?? 0);
  const read = text.match(/requests in [^,]+, ([\d.]+)(B|KB|MB|GB) read/);
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[read?.[2] ?? "B"]!;
  return {
    rps: Number(text.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? Number.NaN),
    requests,
    bytesPerResponse: read && requests ? (Number(read[1]) * unit) / requests : Number.NaN,
    p50Ms: latency("50"),
    p99Ms: latency("99"),
    non2xx: Number(text.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}

/**
 * `wrk -t<threads> -c<connections> -d<seconds>s --latency` against `base` + the request's path; a
 * response slower than `timeoutSeconds` (wrk's default 2) counts as a socket error.
 */
export function runWrk(
  base: string,
  request: WrkRequest,
  {
    seconds,
    connections,
    threads = 1,
    timeoutSeconds,
  }: { seconds: number; connections: number; threads?: number; timeoutSeconds?: number },
): Promise<WrkResult> {
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, "--latency", "-s", script(request), base];
  if (timeoutSeconds) args.splice(3, 0, `--timeout=${timeoutSeconds}s`);
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.on("error", (error) => reject(new Error(`wrk could not start (apt-get install wrk): ${error.message}`)));
    child.on("exit", (code) =>
      code === 0 ? resolve(parseWrkOutput(out)) : reject(new Error(`wrk exited with ${code}\n${out}`)),
    );
  });
}
