import { request } from "node:http";

import { checkHealth } from "@df/proto/health";

/** waitFor polls `check` every `intervalMs` until it is true, or throws naming `what`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
  intervalMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** httpOk tells whether a GET of `url` answers 200. */
export function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

/** grpcServing tells whether the gRPC health service at `address` reports SERVING. */
export async function grpcServing(address: string): Promise<boolean> {
  return (await checkHealth(address, "", 2000)) === "SERVING";
}
