// Receivers for `npm run bench -- --webhooks`, in their own process so they never share the sender's
// event loop: RECEIVERS healthy ones (each answers 204 at once and notes when each webhook-id
// arrived) and, when HANGING=1, one more that never answers. Prints its ports as one JSON line, and
// answers GET /stats on the control port with every arrival.
import { createServer } from "node:http";

const count = Number(process.env.RECEIVERS ?? 100);
const arrivals = [];
const listen = (server) =>
  new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));

const ports = [];
for (let i = 0; i < count; i++) {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      arrivals.push([i, String(req.headers["webhook-id"]), Date.now()]);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  ports.push(await listen(server));
}
const hanging = process.env.HANGING === "1" ? await listen(createServer((req) => req.resume())) : null;
const control = await listen(
  createServer((req, res) => {
    if (req.url === "/reset") arrivals.length = 0;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ arrivals }));
  }),
);
console.log(JSON.stringify({ ports, hanging, control }));
