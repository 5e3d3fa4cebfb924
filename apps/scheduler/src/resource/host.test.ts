import { describe, expect, it } from "vitest";

import { defaultSchedulerConfig } from "@df/cluster-config";
import type { Network } from "@df/proto/common/v2";

import type { HostInfo } from "./host";
import { Host } from "./host";
import { fakeClock } from "./testing";

const base: HostInfo = {
  id: "10.0.0.1-a",
  type: "normal",
  hostname: "a",
  ip: "10.0.0.1",
  port: 4000,
  downloadPort: 4001,
};
const network = (uploadConcurrency: number): Network => ({
  uploadRateLimit: 0,
  uploadConcurrency,
  uploadConcurrencyLimit: 0,
  tcpConnectionCount: 0,
  idc: "",
  location: "",
  txBandwidth: 0,
});

describe("Host upload limit", () => {
  const config = { ...defaultSchedulerConfig(), peer_load_limit: 10, seed_peer_load_limit: 100 };
  it.each([
    { name: "uses the normal-peer cap for a normal host", info: {}, limit: 10, free: 10 },
    {
      name: "uses the seed cap for a seed host",
      info: { type: "seed" as const },
      limit: 100,
      free: 100,
    },
    { name: "lowers the cap to the host's own limit", info: { uploadLimit: 4 }, limit: 4, free: 4 },
    { name: "ignores an own limit above the cap", info: { uploadLimit: 50 }, limit: 10, free: 10 },
    {
      name: "counts uploads the host reports when above its edges",
      info: { network: network(7) },
      limit: 10,
      free: 3,
    },
  ])("$name", ({ info, limit, free }) => {
    const h = new Host({ ...base, ...info });
    expect(h.uploadLimit(config)).toBe(limit);
    expect(h.freeUploadSlots(config)).toBe(free);
  });
});

describe("Host announce and expiry", () => {
  it("refreshes its fields and announce time on re-announce", () => {
    const clock = fakeClock(0);
    const h = new Host(base, { clock: clock.now });
    clock.t = 30_000;
    h.announce({ ...base, idc: "dc1", id: "ignored" });
    expect(h.id).toBe(base.id);
    expect(h.idc).toBe("dc1");
    expect(h.lastAnnouncedAt).toBe(30_000);
  });

  it.each([
    {
      name: "expires after the TTL when no interval is known",
      interval: 0,
      silentMs: 3_600_001,
      expired: true,
    },
    {
      name: "lives through the TTL when no interval is known",
      interval: 0,
      silentMs: 3_600_000,
      expired: false,
    },
    {
      name: "expires after two missed announce intervals",
      interval: 60_000,
      silentMs: 120_001,
      expired: true,
    },
    {
      name: "survives one missed announce interval",
      interval: 60_000,
      silentMs: 90_000,
      expired: false,
    },
  ])("$name", ({ interval, silentMs, expired }) => {
    const h = new Host({ ...base, announceIntervalMs: interval }, { clock: () => 0 });
    expect(h.expired(silentMs, 3_600_000)).toBe(expired);
  });
});
