// One cold start of a Vercel function, as its runtime does it: a fresh Node process loads the function's
// launcher (___next_launcher.cjs, Next's server in minimal mode) and answers one request over HTTP.
// scripts/bench/cold.ts spawns this with the function's folder; it reports over IPC when it listens,
// and after the response how many files Node loaded (CommonJS and ES modules, from node_modules and
// from the function's own chunks), which is what a cold start pays for before answering.
import http from "node:http";
import nodeModule from "node:module";
import path from "node:path";

let loaded = 0;
const fromNodeModules = new Map();
nodeModule.registerHooks({
  load(url, context, nextLoad) {
    loaded++;
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match) fromNodeModules.set(match[1], (fromNodeModules.get(match[1]) ?? 0) + 1);
    return nextLoad(url, context);
  },
});

// Vercel's runtime gives each request a waitUntil (Next's `after()` needs it); work handed to it runs on.
globalThis[Symbol.for("@vercel/request-context")] = {
  get: () => ({ waitUntil: (promise) => Promise.resolve(promise).catch(() => {}) }),
};

const handler = nodeModule.createRequire(import.meta.url)(path.join(process.argv[2], "___next_launcher.cjs"));
const server = http.createServer((req, res) => {
  res.on("close", () =>
    setImmediate(() =>
      process.send({
        loaded,
        packages: [...fromNodeModules.entries()].sort((a, b) => b[1] - a[1]),
      }),
    ),
  );
  handler(req, res);
});
server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
