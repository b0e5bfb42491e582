import { randomUUID } from "node:crypto";
import { authServer } from "@/lib/auth";
import { cookieJar } from "./next/headers";

/**
 * Signs up a fresh user through Better Auth (real tables, real session) and
 * leaves the fake browser signed in as them. `actAs()` switches back later.
 * Needs next/headers mocked with tests/support/next/headers.
 */
export async function signUpTestUser(name = "Test Cook") {
  cookieJar.clear();
  const email = `cook-${randomUUID()}@example.test`;
  const { user } = await authServer.api.signUpEmail({ body: { name, email, password: "correct-horse-battery" } });
  const cookies = cookieJar.snapshot();
  return { id: user.id, email, actAs: () => cookieJar.restore(cookies) };
}

export function signOutTestUser() {
  cookieJar.clear();
}
