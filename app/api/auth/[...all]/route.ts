import { authRoute } from "@/lib/auth";

/** Better Auth's endpoints (sign-in, sign-up, sessions…), through the app's route wrapper (lib/auth/handler.ts). */
export { authRoute as GET, authRoute as POST };
