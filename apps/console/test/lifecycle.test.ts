import { describe, expect, it } from "vitest";

import { createTestPostgres } from "@df/db/testing";
import { freePort, grpcServing, httpOk, startApp, waitFor } from "@df/testkit";

describe("manager process", () => {
  it("migrates and seeds PostgreSQL, serves /healthy and gRPC health, prints the generated root password once, and stops on SIGTERM", async () => {
    const pg = await createTestPostgres("df_manager");
    const [http, grpc] = await Promise.all([freePort(), freePort()]);
    const args = [`--http.port=${http}`, `--grpc.port=${grpc}`];
    const env = { DATABASE_URL: pg.url, DRAGONFLY_INITIAL_ROOT_PASSWORD: "" };
    try {
      const first = startApp("manager", args, { env });
      await waitFor("manager /healthy", () => httpOk(`http://127.0.0.1:${http}/healthy`), 60_000);
      expect(await grpcServing(`127.0.0.1:${grpc}`)).toBe(true);
      expect(first.output()).toMatch(/generated password.*password=[A-Za-z0-9_-]{20}/);
      expect(await first.stop()).toBe(0);

      const second = startApp("manager", args, { env });
      await waitFor(
        "manager /healthy again",
        () => httpOk(`http://127.0.0.1:${http}/healthy`),
        60_000,
      );
      expect(second.output()).not.toMatch(/password=/);
      expect(await second.stop()).toBe(0);
    } finally {
      await pg.drop();
    }
  });

  it("exits non-zero naming the key for a bad database url", async () => {
    const proc = startApp("manager", [], { env: { DATABASE_URL: "mysql://nope" } });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(/"database\.url": must start with postgres:\/\//);
  });
});
