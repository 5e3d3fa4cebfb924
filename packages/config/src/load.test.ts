import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";
import { z } from "zod";

import { parseArgs } from "./args";
import { ConfigError, loadConfig } from "./load";

const schema = z
  .object({
    server: z
      .object({
        port: z.number().int().min(1).max(65535).default(8002),
        listenIp: z.string().default("0.0.0.0"),
      })
      .strict()
      .default({ port: 8002, listenIp: "0.0.0.0" }),
    log: z
      .object({ level: z.enum(["debug", "info"]).default("info") })
      .strict()
      .default({ level: "info" }),
    verbose: z.boolean().default(false),
    addrs: z.array(z.string()).default([]),
  })
  .strict();

const fileWith = (text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), "df-config-")), "c.yaml");
  writeFileSync(file, text);
  return file;
};

describe("loadConfig", () => {
  const cases: Array<{ name: string; run: () => unknown; expect: (out: unknown) => void }> = [
    {
      name: "defaults when nothing is given",
      run: () => loadConfig({ schema, envPrefix: "T_" }),
      expect: (out) =>
        expect(out).toEqual({
          server: { port: 8002, listenIp: "0.0.0.0" },
          log: { level: "info" },
          verbose: false,
          addrs: [],
        }),
    },
    {
      name: "file, then env, then flags, each overriding the one before",
      run: () =>
        loadConfig({
          schema,
          envPrefix: "T_",
          file: fileWith("server:\n  port: 9000\n  listenIp: 10.0.0.1\n"),
          env: { T_SERVER_PORT: "9001", T_VERBOSE: "true", T_ADDRS: "a:1, b:2" },
          flags: parseArgs(["--server.port=9002"]).flags,
        }),
      expect: (out) =>
        expect(out).toMatchObject({
          server: { port: 9002, listenIp: "10.0.0.1" },
          verbose: true,
          addrs: ["a:1", "b:2"],
        }),
    },
  ];
  it.each(cases)("$name", ({ run, expect: check }) => check(run()));

  it("returns a frozen object", () => {
    const out = loadConfig({ schema, envPrefix: "T_" });
    expect(Object.isFrozen(out.server)).toBe(true);
  });

  const bad: Array<{ name: string; run: () => unknown; message: RegExp }> = [
    {
      name: "a non-numeric port from a flag names the key and the source",
      run: () =>
        loadConfig({ schema, envPrefix: "T_", flags: parseArgs(["--server.port", "abc"]).flags }),
      message: /"server\.port".*got "abc" from flag --server\.port/,
    },
    {
      name: "an out-of-range port from env names the key and the limit",
      run: () => loadConfig({ schema, envPrefix: "T_", env: { T_SERVER_PORT: "70000" } }),
      message: /"server\.port".*65535.*env T_SERVER_PORT/,
    },
    {
      name: "an enum value lists the allowed values",
      run: () => loadConfig({ schema, envPrefix: "T_", file: fileWith("log:\n  level: loud\n") }),
      message: /"log\.level".*"debug".*"info".*got "loud"/,
    },
    {
      name: "an unknown key is refused",
      run: () => loadConfig({ schema, envPrefix: "T_", file: fileWith("server:\n  prot: 1\n") }),
      message: /unknown config key "server\.prot"/,
    },
    {
      name: "an unknown flag is refused",
      run: () =>
        loadConfig({ schema, envPrefix: "T_", flags: parseArgs(["--server.prot=1"]).flags }),
      message: /unknown flag --server\.prot/,
    },
    {
      name: "a missing file names the file",
      run: () => loadConfig({ schema, envPrefix: "T_", file: "/nonexistent/df.yaml" }),
      message: /config file \/nonexistent\/df\.yaml/,
    },
    {
      name: "a file that is not a mapping is refused",
      run: () => loadConfig({ schema, envPrefix: "T_", file: fileWith("- 1\n- 2\n") }),
      message: /top level must be a mapping/,
    },
  ];
  it.each(bad)("$name", ({ run, message }) => {
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });
});

describe("parseArgs", () => {
  it("keeps repeated flags, boolean flags and positionals apart", () => {
    const { flags, positionals } = parseArgs(
      ["url", "-H", "a: 1", "-H", "b: 2", "--no-progress", "-O", "out"],
      new Set(["no-progress"]),
    );
    expect(flags.get("H")).toEqual(["a: 1", "b: 2"]);
    expect(flags.get("no-progress")).toEqual(["true"]);
    expect(flags.get("O")).toEqual(["out"]);
    expect(positionals).toEqual(["url"]);
  });
});
