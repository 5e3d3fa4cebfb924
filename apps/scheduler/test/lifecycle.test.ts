import { describe, expect, it } from "vitest";

import { freePort, grpcServing, startApp, waitFor } from "@df/testkit";

describe("scheduler process", () => {
  it("starts with validated config, answers gRPC health, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const proc = startApp("scheduler", [`--server.listenIp=127.0.0.1`, `--server.port=${port}`], {
      env: { DF_SCHEDULER_DATA_DIR: "/tmp/df-scheduler-test" },
    });
    try {
      await waitFor("scheduler health", () => grpcServing(`127.0.0.1:${port}`), 30_000);
      expect(await proc.stop()).toBe(0);
      expect(proc.output()).toContain("scheduler stopped");
    } finally {
      await proc.kill();
    }
  });

  it.each([
    { args: ["--server.port=not-a-port"], key: /"server\.port": must be a port number 1-65535/ },
    { args: ["--log.level=loud"], key: /"log\.level".*"debug"\|"info"\|"warn"\|"error"/ },
    {
      args: ["--scheduling.candidate_parent_limit=0"],
      key: /"scheduling\.candidate_parent_limit".*>=1/,
    },
  ])("exits non-zero naming the key for $args", async ({ args, key }) => {
    const proc = startApp("scheduler", args);
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(key);
  });
});
