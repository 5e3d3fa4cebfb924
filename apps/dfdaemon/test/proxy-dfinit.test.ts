import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { dfinit, splitPrinted, tomlToJson } from "./support/tools";

const PROXY = "http://127.0.0.1:4011";

describe("dfinit writes container runtime configuration for the proxy (issue 7)", () => {
  it("prints valid hosts.toml, daemon.json and registries.conf for the daemon's proxy address", async () => {
    const r = await dfinit([
      "--proxy.port=4011",
      "--registry",
      "ghcr.io",
      "--registry",
      "docker.io",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const files = splitPrinted(r.stdout);
    expect([...files.keys()]).toEqual([
      "/etc/containerd/certs.d/ghcr.io/hosts.toml",
      "/etc/containerd/certs.d/docker.io/hosts.toml",
      "/etc/containerd/certs.d/_default/hosts.toml",
      "/etc/docker/daemon.json",
      "/etc/containers/registries.conf",
    ]);
    expect(await tomlToJson(files.get("/etc/containerd/certs.d/ghcr.io/hosts.toml") ?? "")).toEqual(
      {
        server: "https://ghcr.io",
        host: {
          [PROXY]: {
            capabilities: ["pull", "resolve"],
            header: { "X-Dragonfly-Registry": ["https://ghcr.io"] },
          },
        },
      },
    );
    expect(
      await tomlToJson(files.get("/etc/containerd/certs.d/docker.io/hosts.toml") ?? ""),
    ).toMatchObject({
      server: "https://index.docker.io",
    });
    expect(
      await tomlToJson(files.get("/etc/containerd/certs.d/_default/hosts.toml") ?? ""),
    ).toEqual({
      host: { [PROXY]: { capabilities: ["pull", "resolve"] } },
    });
    expect(JSON.parse(files.get("/etc/docker/daemon.json") ?? "")).toEqual({
      "registry-mirrors": [PROXY],
    });
    const conf = (await tomlToJson(files.get("/etc/containers/registries.conf") ?? "")) as {
      registry: Array<{
        prefix: string;
        location: string;
        mirror: Array<{ location: string; insecure: boolean }>;
      }>;
    };
    expect(conf.registry.map((x) => x.prefix)).toEqual(["ghcr.io", "docker.io"]);
    expect(conf.registry[0]?.mirror).toEqual([{ location: "127.0.0.1:4011", insecure: true }]);
  });

  it("uses proxy.registryMirror.addr as the default registry", async () => {
    const r = await dfinit([
      "--runtime",
      "containerd",
      "--proxy.registryMirror.addr=http://127.0.0.1:5000",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const toml = splitPrinted(r.stdout).get("/etc/containerd/certs.d/127.0.0.1:5000/hosts.toml");
    expect(await tomlToJson(toml ?? "")).toMatchObject({ server: "http://127.0.0.1:5000" });
  });

  it("writes the files under --root, merging an existing daemon.json", async () => {
    const root = mkdtempSync(join(tmpdir(), "df-dfinit-"));
    mkdirSync(join(root, "etc/docker"), { recursive: true });
    writeFileSync(join(root, "etc/docker/daemon.json"), JSON.stringify({ "log-level": "warn" }));
    const r = await dfinit(["--proxy", PROXY, "--write", "--root", root, "--docker-https-proxy"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(root, "etc/docker/daemon.json"), "utf8"))).toEqual({
      "log-level": "warn",
      "registry-mirrors": [PROXY],
      proxies: { "http-proxy": PROXY, "https-proxy": PROXY },
    });
    expect(
      readFileSync(join(root, "etc/containerd/certs.d/docker.io/hosts.toml"), "utf8"),
    ).toContain(`[host."${PROXY}"]`);
    expect(readFileSync(join(root, "etc/containers/registries.conf"), "utf8")).toContain(
      'prefix = "docker.io"',
    );
  });

  it("refuses an unknown runtime", async () => {
    const r = await dfinit(["--runtime", "rkt"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--runtime must be one of containerd, docker, crio or all/);
  });
});
