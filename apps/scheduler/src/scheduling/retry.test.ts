import { describe, expect, it } from "vitest";

import { defaultSchedulerConfig } from "@df/cluster-config";

import { createSwarm } from "../resource/testing";
import { decideRetry } from "./retry";

const config = {
  ...defaultSchedulerConfig(),
  retry_limit: 4,
  retry_back_to_source_limit: 8,
  back_to_source_limit: 1,
  retry_interval_ms: 400,
};

/** child returns a peer with `attempts` earlier empty rounds, optionally with origin capacity used up. */
function child(attempts: number, sourceFull = false) {
  const s = createSwarm();
  if (sourceFull) s.peer("origin", "h0", "BackToSource");
  const c = s.peer("c", "hc", "Running", []);
  c.scheduleAttempts = attempts;
  return c;
}

describe("decideRetry", () => {
  it.each([
    {
      name: "sends parents and resets the count when candidates exist",
      attempts: 6,
      has: true,
      want: { kind: "send_parents", attempts: 0 },
    },
    {
      name: "retries before retry_limit rounds",
      attempts: 0,
      has: false,
      want: { kind: "retry", attempts: 1 },
    },
    {
      name: "retries on the last round before retry_limit",
      attempts: 2,
      has: false,
      want: { kind: "retry", attempts: 3 },
    },
    {
      name: "sends the peer back to source after retry_limit rounds",
      attempts: 3,
      has: false,
      want: { kind: "back_to_source", attempts: 4 },
    },
    {
      name: "keeps retrying while the task's back-to-source slots are full",
      attempts: 3,
      full: true,
      has: false,
      want: { kind: "retry", attempts: 4 },
    },
    {
      name: "fails after retry_back_to_source_limit rounds with a reason",
      attempts: 7,
      full: true,
      has: false,
      want: { kind: "fail", attempts: 8 },
    },
  ])("$name", ({ attempts, full, has, want }) => {
    const out = decideRetry(child(attempts, full), config, has, { random: () => 0.5 });
    expect(out).toMatchObject(want);
    if (out.kind === "fail" || out.kind === "back_to_source")
      expect(out.reason).toMatch(/no parent/);
  });

  it.each([
    { random: 0, delay: 300 },
    { random: 0.5, delay: 400 },
    { random: 0.999999, delay: 500 },
  ])("jitters the retry interval by ±25% (random $random -> $delay ms)", ({ random, delay }) => {
    const out = decideRetry(child(0), config, false, { random: () => random });
    expect(out).toEqual({ kind: "retry", attempts: 1, delayMs: delay });
  });
});
