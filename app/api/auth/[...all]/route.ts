import { authRequestHandler } from "@/lib/auth";

export const GET = authRequestHandler;
export const POST = authRequestHandler;
