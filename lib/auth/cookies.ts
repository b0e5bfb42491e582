// No imports: client components import this file directly (the header's account links read the cookie).
/**
 * A cookie that says "this browser may be signed in", readable by the page's scripts (the session cookie is not).
 * The header's account links ask Better Auth who is signed in only when it is there, so a signed-out visitor's
 * page sends no request and shows the sign-in links it was rendered with. It holds no secret: a forged one only
 * makes the browser ask, and the answer decides. Set and cleared with the session cookie (lib/auth/signed-in-hint.ts).
 */
export const SIGNED_IN_HINT_COOKIE = "recipe-box.signed-in";
