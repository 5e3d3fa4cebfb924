import { describe, it, expect } from "vitest";
import { Download, Priority } from "./gen/common/v2/common";
import { AnnouncePeerRequest, AnnouncePeerResponse } from "./gen/scheduler/v2/scheduler";
import { ConfigUpdate } from "./gen/manager/v2/manager";

describe("generated messages", () => {
  it("round-trips an AnnouncePeerRequest oneof through the wire format", () => {
    const req: AnnouncePeerRequest = {
      hostId: "10.0.0.1-a",
      taskId: "t",
      peerId: "p",
      request: {
        $case: "registerPeerRequest",
        value: {
          download: Download.fromPartial({
            url: "http://origin/blob",
            priority: Priority.LEVEL3,
            requestHeader: { a: "b" },
            pieceLength: 4 * 1024 * 1024,
          }),
        },
      },
    };
    const back = AnnouncePeerRequest.decode(AnnouncePeerRequest.encode(req).finish());
    expect(back).toEqual(req);
    expect(back.request?.$case).toBe("registerPeerRequest");
  });

  it("encodes the response oneof, 64-bit numbers and timestamps", () => {
    const res = AnnouncePeerResponse.fromPartial({
      response: { $case: "needBackToSourceResponse", value: { description: "no parent" } },
    });
    expect(AnnouncePeerResponse.decode(AnnouncePeerResponse.encode(res).finish())).toEqual(res);
    const at = new Date("2026-01-02T03:04:05.678Z");
    const cfg = ConfigUpdate.fromPartial({
      revision: 2 ** 40,
      schedulerClusterId: 1,
      updatedAt: at,
    });
    const decoded = ConfigUpdate.decode(ConfigUpdate.encode(cfg).finish());
    expect(decoded.revision).toBe(2 ** 40);
    expect(decoded.updatedAt).toEqual(at);
  });
});
