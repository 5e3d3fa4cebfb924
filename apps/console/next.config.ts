import type { NextConfig } from "next";

/** The console's pages; APIs and gRPC are served by src/server/main.ts around Next. */
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typescript: { tsconfigPath: "./tsconfig.json" },
};

export default config;
