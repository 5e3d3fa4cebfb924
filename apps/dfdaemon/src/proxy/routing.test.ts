import { describe, expect, it } from "vitest";

import { ProxyConfigSchema } from "../config/schema";
import { createAccessPolicy } from "./access";
import { parseDragonflyHeaders, taskHeaders, upstreamHeaders } from "./headers";
import { mirrorTarget } from "./mirror";
import { blobDigest, compileRules, p2pRule } from "./rules";

const HEX = "a".repeat(64);
const rules = compileRules(ProxyConfigSchema.parse({}).rules);

describe("p2pRule", () => {
  const cases = [
    {
      name: "a blob GET",
      method: "GET",
      url: `https://r.io/v2/a/b/blobs/sha256:${HEX}`,
      headers: {},
      p2p: true,
    },
    {
      name: "a blob GET with a signed query",
      method: "GET",
      url: `https://r.io/v2/a/blobs/sha256:${HEX}?X-Amz-Signature=1`,
      headers: {},
      p2p: true,
    },
    {
      name: "a blob HEAD",
      method: "HEAD",
      url: `https://r.io/v2/a/blobs/sha256:${HEX}`,
      headers: {},
      p2p: false,
    },
    {
      name: "a manifest GET",
      method: "GET",
      url: "https://r.io/v2/a/manifests/v1",
      headers: {},
      p2p: false,
    },
    {
      name: "a rule match in the query only",
      method: "GET",
      url: "https://r.io/x?p=blobs/sha256:1",
      headers: {},
      p2p: false,
    },
    {
      name: "a forced GET",
      method: "GET",
      url: "https://r.io/file",
      headers: { "x-dragonfly-use-p2p": "true" },
      p2p: true,
    },
    {
      name: "a forced POST",
      method: "POST",
      url: "https://r.io/file",
      headers: { "x-dragonfly-use-p2p": "true" },
      p2p: false,
    },
    {
      name: "a blob GET with P2P turned off",
      method: "GET",
      url: `https://r.io/v2/a/blobs/sha256:${HEX}`,
      headers: { "x-dragonfly-use-p2p": "false" },
      p2p: false,
    },
  ];
  it.each(cases)("routes $name", ({ method, url, headers, p2p }) => {
    expect(!!p2pRule(method, new URL(url), rules, parseDragonflyHeaders(headers))).toBe(p2p);
  });

  it("reads the digest of a blob URL only", () => {
    expect(blobDigest(new URL(`https://r.io/v2/a/b/blobs/sha256:${HEX}`))).toBe(`sha256:${HEX}`);
    expect(blobDigest(new URL("https://r.io/v2/a/blobs/sha256:abc"))).toBeUndefined();
    expect(blobDigest(new URL(`https://r.io/v2/a/manifests/sha256:${HEX}`))).toBeUndefined();
  });
});

describe("mirrorTarget", () => {
  const cases = [
    {
      name: "the header",
      path: "/v2/a/manifests/v1",
      header: "http://127.0.0.1:5000",
      want: "http://127.0.0.1:5000/v2/a/manifests/v1",
    },
    {
      name: "containerd's ns (https)",
      path: "/v2/a/blobs/x?ns=ghcr.io",
      header: undefined,
      want: "https://ghcr.io/v2/a/blobs/x?ns=ghcr.io",
    },
    {
      name: "ns docker.io (its API host)",
      path: "/v2/library/a/blobs/x?ns=docker.io",
      header: undefined,
      want: "https://index.docker.io/v2/library/a/blobs/x?ns=docker.io",
    },
    { name: "the default", path: "/v2/", header: undefined, want: "https://index.docker.io/v2/" },
  ];
  it.each(cases)("takes the upstream from $name", ({ path, header, want }) => {
    expect(mirrorTarget(path, header, "https://index.docker.io").href).toBe(want);
  });
});

describe("createAccessPolicy", () => {
  const policy = (o: object) => createAccessPolicy(ProxyConfigSchema.parse(o));
  it("is open on loopback with no allow list", () => {
    expect(policy({}).allowed("example.com", 443)).toBe(true);
  });
  it("allows only listed destinations and the mirror's registry beyond loopback", () => {
    const p = policy({
      listenIp: "0.0.0.0",
      allowedDestinations: ["ghcr.io", "10.0.0.1:5000", "*.example.com", "::1"],
      registryMirror: { addr: "https://mirror.local:8443" },
    });
    expect(p.allowed("ghcr.io", 443)).toBe(true);
    expect(p.allowed("10.0.0.1", 5000)).toBe(true);
    expect(p.allowed("10.0.0.1", 5001)).toBe(false);
    expect(p.allowed("a.example.com", 80)).toBe(true);
    expect(p.allowed("example.com.evil", 80)).toBe(false);
    expect(p.allowed("::1", 80)).toBe(true);
    expect(p.allowed("mirror.local", 8443)).toBe(true);
    expect(p.allowed("mirror.local", 443)).toBe(false);
    expect(() => p.check("evil.com", 80)).toThrow(/not in proxy.allowedDestinations/);
  });
});

describe("request headers", () => {
  it("refuses a malformed X-Dragonfly-Use-P2P", () => {
    expect(() => parseDragonflyHeaders({ "x-dragonfly-use-p2p": "yes" })).toThrow(/true or false/);
  });
  it("splits X-Dragonfly-Filtered-Query-Params", () => {
    expect(
      parseDragonflyHeaders({ "x-dragonfly-filtered-query-params": "a, b,," }).filteredQueryParams,
    ).toEqual(["a", "b"]);
  });
  it("drops hop-by-hop, Connection-named and X-Dragonfly-* headers upstream; range and conditionals from tasks", () => {
    const h = {
      connection: "x-secret",
      "x-secret": "1",
      "proxy-authorization": "p",
      "x-dragonfly-tag": "t",
      authorization: "a",
      range: "bytes=0-1",
      "if-none-match": "e",
      host: "h",
    };
    expect(upstreamHeaders(h)).toEqual({
      authorization: "a",
      range: "bytes=0-1",
      "if-none-match": "e",
    });
    expect(taskHeaders(h)).toEqual({ authorization: "a" });
  });
});
