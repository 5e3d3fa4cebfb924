import { invalidStateTransition } from "@df/errors";

/** Clock returns the current time in epoch milliseconds; tests inject a fake one. */
export type Clock = () => number;

/** TransitionRule is one row of a table: the states an event may fire from and where it leads. */
export interface TransitionRule<S extends string> {
  readonly from: readonly S[];
  readonly to: S;
}

/** TransitionTable maps every event of a machine to its rule; the whole lifecycle is data. */
export type TransitionTable<S extends string, E extends string> = Readonly<
  Record<E, TransitionRule<S>>
>;

/** TransitionRecord describes one completed move, handed to the onTransition hook. */
export interface TransitionRecord<S extends string, E extends string> {
  readonly machine: string;
  readonly event: E;
  readonly from: S;
  readonly to: S;
  readonly at: number;
}

/** FsmOptions inject the clock and a hook that applies side effects after each move. */
export interface FsmOptions<S extends string, E extends string> {
  clock?: Clock;
  onTransition?: (record: TransitionRecord<S, E>) => void;
}

/** Fsm is a tiny state machine whose transitions come from a TransitionTable. */
export class Fsm<S extends string, E extends string> {
  readonly machine: string;
  readonly #table: TransitionTable<S, E>;
  readonly #clock: Clock;
  readonly #onTransition: ((record: TransitionRecord<S, E>) => void) | undefined;
  #state: S;
  #updatedAt: number;

  constructor(machine: string, initial: S, table: TransitionTable<S, E>, opts: FsmOptions<S, E>) {
    this.machine = machine;
    this.#table = table;
    this.#clock = opts.clock ?? Date.now;
    this.#onTransition = opts.onTransition;
    this.#state = initial;
    this.#updatedAt = this.#clock();
  }

  /** current is the state the machine is in. */
  get current(): S {
    return this.#state;
  }

  /** updatedAt is when the machine was created or last moved, in epoch milliseconds. */
  get updatedAt(): number {
    return this.#updatedAt;
  }

  /** is tells whether the machine is in one of the given states. */
  is(...states: readonly S[]): boolean {
    return states.includes(this.#state);
  }

  /** can tells whether the event is allowed in the current state. */
  can(event: E): boolean {
    return this.#table[event].from.includes(this.#state);
  }

  /** fire moves the machine by one event, or throws DF_ERR_INVALID_STATE_TRANSITION. */
  fire(event: E): TransitionRecord<S, E> {
    const from = this.#state;
    if (!this.can(event)) throw invalidStateTransition(this.machine, from, event);
    const to = this.#table[event].to;
    const at = this.#clock();
    this.#state = to;
    this.#updatedAt = at;
    const record = { machine: this.machine, event, from, to, at };
    this.#onTransition?.(record);
    return record;
  }
}
