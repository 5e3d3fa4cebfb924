import { isDfError } from "@df/errors";

/**
 * runMain runs an app's entry point: any error at start-up prints one line naming the problem and
 * exits 1; SIGTERM and SIGINT call `stop` once, and a second signal forces the exit.
 */
export function runMain(name: string, start: () => Promise<{ stop: () => Promise<void> }>): void {
  start().then(
    (app) => {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) process.exit(130);
        stopping = true;
        console.error(`${name}: ${signal} received, stopping`);
        const force = setTimeout(() => process.exit(1), 15_000);
        force.unref();
        app.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            console.error(`${name}: stop failed: ${String(err)}`);
            process.exit(1);
          },
        );
      };
      process.on("SIGTERM", onSignal);
      process.on("SIGINT", onSignal);
    },
    (err: unknown) => {
      const msg = isDfError(err) || err instanceof Error ? err.message : String(err);
      console.error(`${name}: ${msg}`);
      process.exit(1);
    },
  );
}
