import { spawn } from "node:child_process";

import { REPO_ROOT } from "@df/testkit";

/** run runs a command to completion and resolves with its exit code, stdout and stderr. */
export function run(
  command: string,
  args: string[],
  opts: { input?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...opts.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

/** dfinit runs the real dfinit CLI. */
export const dfinit = (args: string[]) =>
  run(process.execPath, ["--import", "tsx", "apps/dfdaemon/src/bin/dfinit.ts", ...args]);

/** tomlToJson parses TOML with Python's standard tomllib, proving the text is valid TOML. */
export async function tomlToJson(text: string): Promise<unknown> {
  const r = await run(
    "python3",
    ["-c", "import json,sys,tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))"],
    {
      input: text,
    },
  );
  if (r.code !== 0) throw new Error(`invalid TOML: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** splitPrinted splits dfinit's printed output into files by their `# ==> path <==` headers. */
export function splitPrinted(out: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const part of out.split(/^# ==> /m).slice(1)) {
    const nl = part.indexOf("\n");
    files.set(part.slice(0, nl).replace(/ <==$/, ""), part.slice(nl + 1));
  }
  return files;
}
