/** E2E names the manager the browser tests run against (started by support/manager-server.ts). */
export const E2E = {
  httpPort: 18080,
  grpcPort: 18003,
  baseUrl: "http://127.0.0.1:18080",
  rootPassword: "e2e-root-password-1",
} as const;
