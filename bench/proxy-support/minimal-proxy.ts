import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

/** MinimalProxy is the reference node:http pipe proxy, running as its own process. */
export interface MinimalProxy {
  url: string;
  stop(): void;
}

/** startMinimalProxy starts minimal-proxy.mjs on a free loopback port. */
export async function startMinimalProxy(): Promise<MinimalProxy> {
  const script = fileURLToPath(new URL("./minimal-proxy.mjs", import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = (await once(child.stdout, "data")) as [Buffer];
  return {
    url: `http://127.0.0.1:${line.toString().trim()}`,
    stop: () => void child.kill("SIGTERM"),
  };
}
