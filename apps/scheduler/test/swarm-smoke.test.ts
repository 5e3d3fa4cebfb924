import { readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { credentials } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";

import {
  DecisionOutcome,
  SchedulerClient,
  type ListSchedulingDecisionsResponse,
} from "@df/proto/scheduler/v2";

import { taskId } from "../../dfdaemon/src/task/task-id";

import { dfget, randomContent, startOrigin, startSwarm } from "./support/swarm";

const MIB = 1024 * 1024;

describe("swarm of two peers", () => {
  it("two peers get a file through the seed peer, the origin serves it once, and the decisions can be read back", async () => {
    const origin = await startOrigin();
    const swarm = await startSwarm({ peers: 2 });
    const out = mkdtempSync(join(tmpdir(), "df-swarm-"));
    try {
      const file = randomContent(20 * MIB);
      origin.set("/f.bin", { data: file.data });
      const results = await Promise.all(
        swarm.peers.map((p, i) =>
          dfget(p.socket, [
            origin.url("/f.bin"),
            "-O",
            join(out, `p${i}.bin`),
            "--digest",
            file.sha256,
          ]),
        ),
      );
      for (const r of results) expect(r, r.output).toMatchObject({ code: 0 });
      for (let i = 0; i < 2; i++)
        expect(readFileSync(join(out, `p${i}.bin`)).equals(file.data)).toBe(true);
      expect(origin.bytesServed("/f.bin")).toBeLessThanOrEqual(file.data.length * 1.05);

      // Each decision keeps its reasons and can be read back per task and peer.
      const client = new SchedulerClient(
        swarm.schedulers[0]?.addr ?? "",
        credentials.createInsecure(),
      );
      const id = taskId({ url: origin.url("/f.bin") });
      const list = (peerId?: string) =>
        new Promise<ListSchedulingDecisionsResponse>((resolve, reject) =>
          client.listSchedulingDecisions({ taskId: id, peerId }, (err, r) =>
            err ? reject(err) : resolve(r),
          ),
        );
      const all = await list();
      const chosen = all.decisions.filter(
        (d) => d.outcome === DecisionOutcome.DECISION_OUTCOME_CANDIDATE_PARENTS,
      );
      expect(chosen.length).toBeGreaterThanOrEqual(2);
      for (const d of chosen) {
        expect(d.chosenParents.length).toBeGreaterThan(0);
        expect(d.chosenParents[0]?.score).toBeGreaterThan(0);
      }
      const onePeer = chosen[0]?.peerId ?? "";
      const forPeer = await list(onePeer);
      client.close();
      expect(forPeer.decisions.every((d) => d.peerId === onePeer)).toBe(true);
    } finally {
      await swarm.stop();
      await origin.close();
    }
  });
});
