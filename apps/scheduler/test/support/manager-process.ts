import { createTestPostgres, type TestPostgres } from "@df/db/testing";
import { freePort, httpOk, startApp, waitFor, type ManagedProcess } from "@df/testkit";

import { call, signIn, type Credential } from "../../../console/test/support/http";

/** ROOT_PASSWORD is the root password of the test manager. */
const ROOT_PASSWORD = "root-pass-123";

/** ManagerProcess is a real manager process on a throwaway PostgreSQL database. */
export interface ManagerProcess {
  /** http is the REST base URL. */
  http: string;
  /** grpc is the gRPC address components dial. */
  grpc: string;
  proc: ManagedProcess;
  /** stop ends the process (SIGTERM); the database and ports are kept for `restart`. */
  stop(): Promise<void>;
  /** restart starts the manager again on the same ports and database. */
  restart(): Promise<void>;
  /** destroy stops the manager and drops its database. */
  destroy(): Promise<void>;
  /** get and patch call the REST API as root. */
  get<T>(path: string): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
}

/** startManagerProcess migrates a fresh database and starts the manager on free ports. */
export async function startManagerProcess(name = "manager"): Promise<ManagerProcess> {
  const pg: TestPostgres = await createTestPostgres("df_link");
  const [httpPort, grpcPort] = await Promise.all([freePort(), freePort()]);
  const args = [`--http.port=${httpPort}`, `--grpc.port=${grpcPort}`];
  const env = { DATABASE_URL: pg.url, DRAGONFLY_INITIAL_ROOT_PASSWORD: ROOT_PASSWORD };
  const http = `http://127.0.0.1:${httpPort}`;
  let root: Credential = null;
  const launch = async () => {
    const proc = startApp("manager", args, { name, env });
    await waitFor(`${name} /healthy`, () => httpOk(`${http}/healthy`), 90_000);
    root = await signIn(http, "root", ROOT_PASSWORD);
    return proc;
  };
  const rest = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await call(http, method, path, root, body);
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status}`);
    return res.json as T;
  };
  const m: ManagerProcess = {
    http,
    grpc: `127.0.0.1:${grpcPort}`,
    proc: await launch(),
    async stop() {
      await m.proc.stop();
    },
    async restart() {
      m.proc = await launch();
    },
    async destroy() {
      await m.proc.stop();
      await pg.drop();
    },
    get: (path) => rest("GET", path),
    patch: (path, body) => rest("PATCH", path, body),
  };
  return m;
}

/** ComponentRow is what the REST API shows of a scheduler or seed peer. */
export interface ComponentRow {
  hostname: string;
  state: string;
  appliedRevision: number | null;
}

/** componentRow finds a scheduler ("schedulers") or seed peer ("seed-peers") by host name. */
export async function componentRow(
  m: ManagerProcess,
  kind: "schedulers" | "seed-peers",
  hostname: string,
): Promise<ComponentRow | undefined> {
  const rows = await m.get<ComponentRow[]>(`/api/v1/${kind}?hostname=${hostname}`);
  return rows.find((r) => r.hostname === hostname);
}

/** clusterRevision is the current config revision of scheduler cluster `id`. */
export async function clusterRevision(m: ManagerProcess, id = 1): Promise<number> {
  return (await m.get<{ configRevision: number }>(`/api/v1/scheduler-clusters/${id}`))
    .configRevision;
}

/** saveClusterConfig merges config changes into cluster `id` and returns the new revision. */
export async function saveClusterConfig(
  m: ManagerProcess,
  change: { config?: Record<string, unknown>; client_config?: Record<string, unknown> },
  id = 1,
): Promise<number> {
  return (await m.patch<{ configRevision: number }>(`/api/v1/scheduler-clusters/${id}`, change))
    .configRevision;
}
