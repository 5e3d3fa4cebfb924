import { networkInterfaces } from "node:os";

/** detectIp returns the first non-internal IPv4 address, or 127.0.0.1 when there is none. */
export function detectIp(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return "127.0.0.1";
}
