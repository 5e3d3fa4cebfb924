import type { TransitionTable } from "./fsm";

/**
 * Lifecycles of the scheduler's resources as transition tables (after Dragonfly's peer and task
 * machines, reduced to what the v2 API needs: an empty task is the only special size scope).
 */

/** PeerState lists where one peer's download can be. */
export const PeerState = {
  Pending: "Pending",
  ReceivedEmpty: "ReceivedEmpty",
  ReceivedNormal: "ReceivedNormal",
  Running: "Running",
  BackToSource: "BackToSource",
  Succeeded: "Succeeded",
  Failed: "Failed",
  Leave: "Leave",
} as const;
/** PeerState is one peer state name. */
export type PeerState = (typeof PeerState)[keyof typeof PeerState];

/** PeerEvent lists what can happen to a peer. */
export const PeerEvent = {
  RegisterEmpty: "RegisterEmpty",
  RegisterNormal: "RegisterNormal",
  Download: "Download",
  DownloadBackToSource: "DownloadBackToSource",
  DownloadSucceeded: "DownloadSucceeded",
  DownloadFailed: "DownloadFailed",
  Leave: "Leave",
} as const;
/** PeerEvent is one peer event name. */
export type PeerEvent = (typeof PeerEvent)[keyof typeof PeerEvent];

const P = PeerState;
const RECEIVED = [P.ReceivedEmpty, P.ReceivedNormal] as const;

/** peerTransitions is the peer lifecycle: register, download (from parents or origin), finish, leave. */
export const peerTransitions: TransitionTable<PeerState, PeerEvent> = {
  RegisterEmpty: { from: [P.Pending], to: P.ReceivedEmpty },
  RegisterNormal: { from: [P.Pending], to: P.ReceivedNormal },
  Download: { from: RECEIVED, to: P.Running },
  DownloadBackToSource: { from: [...RECEIVED, P.Running], to: P.BackToSource },
  DownloadSucceeded: { from: [...RECEIVED, P.Running, P.BackToSource], to: P.Succeeded },
  DownloadFailed: {
    from: [P.Pending, ...RECEIVED, P.Running, P.BackToSource, P.Succeeded],
    to: P.Failed,
  },
  Leave: {
    from: [P.Pending, ...RECEIVED, P.Running, P.BackToSource, P.Succeeded, P.Failed],
    to: P.Leave,
  },
};

/** TaskState lists where a task (the content shared by all its peers) can be. */
export const TaskState = {
  Pending: "Pending",
  Running: "Running",
  Succeeded: "Succeeded",
  Failed: "Failed",
  Leave: "Leave",
} as const;
/** TaskState is one task state name. */
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

/** TaskEvent lists what can happen to a task. */
export const TaskEvent = {
  Download: "Download",
  DownloadSucceeded: "DownloadSucceeded",
  DownloadFailed: "DownloadFailed",
  Leave: "Leave",
} as const;
/** TaskEvent is one task event name. */
export type TaskEvent = (typeof TaskEvent)[keyof typeof TaskEvent];

const T = TaskState;

/**
 * taskTransitions is the task lifecycle. A task may start downloading again from any resting state,
 * and only an origin download decides success or failure; a peer finishing from parents does not.
 */
export const taskTransitions: TransitionTable<TaskState, TaskEvent> = {
  Download: { from: [T.Pending, T.Succeeded, T.Failed, T.Leave], to: T.Running },
  DownloadSucceeded: { from: [T.Leave, T.Running, T.Failed], to: T.Succeeded },
  DownloadFailed: { from: [T.Running], to: T.Failed },
  Leave: { from: [T.Pending, T.Running, T.Succeeded, T.Failed], to: T.Leave },
};

/** HostState lists where a host can be: announcing itself, or gone. */
export const HostState = { Announced: "Announced", Left: "Left" } as const;
/** HostState is one host state name. */
export type HostState = (typeof HostState)[keyof typeof HostState];

/** HostEvent lists what can happen to a host. */
export const HostEvent = { Announce: "Announce", Leave: "Leave" } as const;
/** HostEvent is one host event name. */
export type HostEvent = (typeof HostEvent)[keyof typeof HostEvent];

/** hostTransitions is the host lifecycle: re-announcing refreshes it, leaving is final. */
export const hostTransitions: TransitionTable<HostState, HostEvent> = {
  Announce: { from: [HostState.Announced], to: HostState.Announced },
  Leave: { from: [HostState.Announced], to: HostState.Left },
};
