import { describe, expect, it, vi } from "vitest";

import { ErrorCode, isDfError } from "@df/errors";

import type { TransitionTable } from "./fsm";
import { Fsm } from "./fsm";
import type { HostEvent, HostState, PeerEvent, PeerState, TaskEvent, TaskState } from "./lifecycle";
import { hostTransitions, peerTransitions, taskTransitions } from "./lifecycle";
import { fakeClock } from "./testing";

type Door = "Open" | "Closed";
type DoorEvent = "Shut" | "Push";
const door: TransitionTable<Door, DoorEvent> = {
  Shut: { from: ["Open"], to: "Closed" },
  Push: { from: ["Closed"], to: "Open" },
};

describe("Fsm", () => {
  it("moves, stamps updatedAt and calls the hook with the record", () => {
    const clock = fakeClock(100);
    const onTransition = vi.fn();
    const fsm = new Fsm("door", "Open", door, { clock: clock.now, onTransition });
    clock.t = 250;
    const record = fsm.fire("Shut");
    expect(fsm.current).toBe("Closed");
    expect(fsm.updatedAt).toBe(250);
    expect(record).toEqual({ machine: "door", event: "Shut", from: "Open", to: "Closed", at: 250 });
    expect(onTransition).toHaveBeenCalledWith(record);
  });

  it("throws the typed invalid-transition error and stays put on an illegal move", () => {
    const onTransition = vi.fn();
    const fsm = new Fsm("door", "Open", door, { onTransition });
    let caught: unknown;
    try {
      fsm.fire("Push");
    } catch (err) {
      caught = err;
    }
    expect(isDfError(caught) && caught.code).toBe(ErrorCode.InvalidStateTransition);
    expect(isDfError(caught) && caught.details).toEqual({
      machine: "door",
      from: "Open",
      event: "Push",
    });
    expect(fsm.current).toBe("Open");
    expect(onTransition).not.toHaveBeenCalled();
  });

  it("answers can and is without moving", () => {
    const fsm = new Fsm("door", "Closed", door, {});
    expect(fsm.can("Push")).toBe(true);
    expect(fsm.can("Shut")).toBe(false);
    expect(fsm.is("Open", "Closed")).toBe(true);
    expect(fsm.current).toBe("Closed");
  });
});

/** expectTable checks every (state, event) pair of a table against the legal moves listed. */
function expectTable<S extends string, E extends string>(
  table: TransitionTable<S, E>,
  states: readonly S[],
  legal: ReadonlyArray<readonly [S, E, S]>,
) {
  const events = Object.keys(table) as E[];
  const cases = states.flatMap((from) => events.map((event) => ({ from, event })));
  it.each(cases)("$event from $from", ({ from, event }) => {
    const fsm = new Fsm("m", from, table, {});
    const row = legal.find(([f, e]) => f === from && e === event);
    if (row) expect(fsm.fire(event).to).toBe(row[2]);
    else expect(() => fsm.fire(event)).toThrow(/is not allowed/);
  });
}

describe("peer lifecycle", () => {
  const R = ["ReceivedEmpty", "ReceivedNormal"] as const;
  const legal: Array<readonly [PeerState, PeerEvent, PeerState]> = [
    ["Pending", "RegisterEmpty", "ReceivedEmpty"],
    ["Pending", "RegisterNormal", "ReceivedNormal"],
    ...R.map((s) => [s, "Download", "Running"] as const),
    ...[...R, "Running" as const].map((s) => [s, "DownloadBackToSource", "BackToSource"] as const),
    ...[...R, "Running" as const, "BackToSource" as const].map(
      (s) => [s, "DownloadSucceeded", "Succeeded"] as const,
    ),
    ...(["Pending", ...R, "Running", "BackToSource", "Succeeded"] as const).map(
      (s) => [s, "DownloadFailed", "Failed"] as const,
    ),
    ...(["Pending", ...R, "Running", "BackToSource", "Succeeded", "Failed"] as const).map(
      (s) => [s, "Leave", "Leave"] as const,
    ),
  ];
  const states: PeerState[] = [
    "Pending",
    ...R,
    "Running",
    "BackToSource",
    "Succeeded",
    "Failed",
    "Leave",
  ];
  expectTable(peerTransitions, states, legal);
});

describe("task lifecycle", () => {
  const legal: Array<readonly [TaskState, TaskEvent, TaskState]> = [
    ...(["Pending", "Succeeded", "Failed", "Leave"] as const).map(
      (s) => [s, "Download", "Running"] as const,
    ),
    ...(["Leave", "Running", "Failed"] as const).map(
      (s) => [s, "DownloadSucceeded", "Succeeded"] as const,
    ),
    ["Running", "DownloadFailed", "Failed"],
    ...(["Pending", "Running", "Succeeded", "Failed"] as const).map(
      (s) => [s, "Leave", "Leave"] as const,
    ),
  ];
  expectTable(taskTransitions, ["Pending", "Running", "Succeeded", "Failed", "Leave"], legal);
});

describe("host lifecycle", () => {
  const legal: Array<readonly [HostState, HostEvent, HostState]> = [
    ["Announced", "Announce", "Announced"],
    ["Announced", "Leave", "Left"],
  ];
  expectTable(hostTransitions, ["Announced", "Left"], legal);
});
