import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native/WASM packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pino"],
  typedRoutes: false,
};

export default nextConfig;
