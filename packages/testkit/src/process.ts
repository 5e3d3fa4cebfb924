import { spawn, type ChildProcess } from "node:child_process";

/** StartProcessOptions describe a child: command, args, env, and a prefix for its output lines. */
export interface StartProcessOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** echo writes the child's output lines, prefixed with its name, to this process's stderr. */
  echo?: boolean;
}

/** ManagedProcess is a running child whose output is kept for assertions. */
export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** output is everything written so far to stdout and stderr. */
  output(): string;
  /** exited resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  /** stop sends SIGTERM, then SIGKILL after `graceMs`, and resolves with the exit result. */
  stop(graceMs?: number): Promise<number | string>;
  /** kill sends SIGKILL at once (a crash). */
  kill(): Promise<number | string>;
}

/**
 * live holds the children not yet exited: when this process exits (a failed benchmark, a test
 * worker torn down), they are killed too, so no daemon outlives the run that started it.
 */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** startProcess spawns a child and captures its output. */
export function startProcess(opts: StartProcessOptions): ManagedProcess {
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    out += text;
    if (opts.echo) {
      for (const line of text.split("\n"))
        if (line) process.stderr.write(`[${opts.name}] ${line}\n`);
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  live.add(child);
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => {
      live.delete(child);
      resolve(code ?? signal ?? "unknown");
    }),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name: opts.name,
    child,
    output: () => out,
    exited,
    async stop(graceMs = 10_000) {
      if (alive()) child.kill("SIGTERM");
      const timer = setTimeout(() => alive() && child.kill("SIGKILL"), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    async kill() {
      if (alive()) child.kill("SIGKILL");
      return exited;
    },
  };
}
