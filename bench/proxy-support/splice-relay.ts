import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** SpliceRelay is splice-relay.c running in front of one origin port. */
export interface SpliceRelay {
  /** base is the relay's http://127.0.0.1:<port> (put the origin's path after it). */
  base: string;
  stop(): void;
}

/**
 * startSpliceRelay compiles splice-relay.c with the system's C compiler and starts it in front of
 * `targetPort`; undefined when there is no compiler (`apt-get install gcc`). It is the reference
 * for what no proxy on the same machine can beat: zero user-space copies, no HTTP parsing.
 */
export async function startSpliceRelay(targetPort: number): Promise<SpliceRelay | undefined> {
  const source = fileURLToPath(new URL("./splice-relay.c", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "df-splice-relay-"));
  const binary = join(dir, "splice-relay");
  try {
    execFileSync("cc", ["-O2", "-o", binary, source], { stdio: "ignore" });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const child = spawn(binary, [String(targetPort)], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = (await once(child.stdout, "data")) as [Buffer];
  return {
    base: `http://127.0.0.1:${line.toString().trim()}`,
    stop: () => {
      child.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
