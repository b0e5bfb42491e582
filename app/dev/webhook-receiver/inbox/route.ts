import { db } from "@/lib/db";
import { receiveDevWebhook, requireDevTools } from "@/lib/dev-tools";
import { readText, route } from "@/lib/http";

const receive = route(async ({ req }) => {
  const result = await receiveDevWebhook(db, await readText(req, 1024 * 1024), req.headers, new URL(req.url));
  return Response.json({ received: true, verified: result.verified, reason: result.reason }, { status: result.status });
});

/**
 * The dev receiver's endpoint: verifies a delivery and lists it at /dev/webhook-receiver. Dev tools
 * only: the guard runs before the route wrapper, so Next answers its 404 (inside it, it would be a 500).
 */
export async function POST(req: Request) {
  requireDevTools();
  return receive(req);
}
