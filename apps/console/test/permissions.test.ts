/**
 * The permission matrix: every tRPC procedure and REST route, called by every kind of caller.
 * The expected access of each entry is written out here by hand, so a route that loses its
 * permission check, or gains a wrong one, fails; the key sets are checked against the router
 * and route table, so a new entry without a row here fails too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { RESOURCES, TOKEN_SCOPES, type Action, type Resource, type TokenScope } from "@df/db";

import { appRouter } from "../src/server/api/root";
import { ROUTES } from "../src/server/rest";
import { createJob } from "../src/server/services/jobs";
import { createToken, revokeToken } from "../src/server/services/personal-access-tokens";
import { createRole } from "../src/server/services/roles";
import { createUser, updateUser } from "../src/server/services/users";
import { call, signIn, trpc, type Credential } from "./support/http";
import { startTestManager, type TestManager } from "./support/manager";

/** Access is who may call an entry: anyone, anyone signed in, password sessions only, or a permission. */
type Access = "public" | "authed" | "session" | [Resource, Action];

const R = (resource: Resource): Access => [resource, "read"];
const W = (resource: Resource): Access => [resource, "write"];

/** TRPC_ACCESS is the expected access of every procedure, with a valid input for reads. */
const TRPC_ACCESS: Record<string, { access: Access; input?: unknown }> = {
  "auth.signIn": { access: "public", input: {} },
  "auth.signOut": { access: "public" },
  "auth.me": { access: "authed" },
  "users.list": { access: R("users"), input: {} },
  "users.get": { access: R("users"), input: { id: 1 } },
  "users.create": { access: W("users") },
  "users.setState": { access: W("users") },
  "users.resetPassword": { access: W("users") },
  "users.changePassword": { access: "session" },
  "roles.list": { access: R("roles"), input: {} },
  "roles.create": { access: W("roles") },
  "roles.update": { access: W("roles") },
  "roles.delete": { access: W("roles") },
  "roles.assign": { access: W("roles") },
  "personalAccessTokens.list": { access: R("personal-access-tokens"), input: {} },
  "personalAccessTokens.create": { access: W("personal-access-tokens") },
  "personalAccessTokens.revoke": { access: W("personal-access-tokens") },
  "schedulerClusters.list": { access: R("clusters") },
  "schedulerClusters.get": { access: R("clusters"), input: { id: 1 } },
  "schedulerClusters.revisions": { access: R("clusters"), input: { id: 1 } },
  "schedulerClusters.create": { access: W("clusters") },
  "schedulerClusters.update": { access: W("clusters") },
  "schedulerClusters.delete": { access: W("clusters") },
  "schedulers.list": { access: R("schedulers"), input: {} },
  "seedPeers.list": { access: R("seed-peers"), input: {} },
  "audits.list": { access: R("audits"), input: {} },
  "jobs.list": { access: R("jobs"), input: {} },
  "jobs.get": { access: R("jobs"), input: { id: 1 } },
  "jobs.create": { access: W("jobs") },
  "tasks.search": { access: R("tasks") },
  "tasks.delete": { access: W("tasks") },
};

/** REST_ACCESS is the expected access of every REST route; `oapi` marks bearer-token-only routes. */
const REST_ACCESS: Record<string, { access: Access; oapi?: boolean }> = {
  "POST /api/v1/users/signin": { access: "public" },
  "POST /api/v1/users/signout": { access: "public" },
  "GET /api/v1/users": { access: R("users") },
  "POST /api/v1/users": { access: W("users") },
  "GET /api/v1/users/:id": { access: R("users") },
  "PATCH /api/v1/users/:id": { access: W("users") },
  "GET /api/v1/roles": { access: R("roles") },
  "POST /api/v1/roles": { access: W("roles") },
  "GET /api/v1/personal-access-tokens": { access: R("personal-access-tokens") },
  "POST /api/v1/personal-access-tokens": { access: W("personal-access-tokens") },
  "DELETE /api/v1/personal-access-tokens/:id": { access: W("personal-access-tokens") },
  "GET /api/v1/scheduler-clusters": { access: R("clusters") },
  "POST /api/v1/scheduler-clusters": { access: W("clusters") },
  "GET /api/v1/scheduler-clusters/:id": { access: R("clusters") },
  "PATCH /api/v1/scheduler-clusters/:id": { access: W("clusters") },
  "DELETE /api/v1/scheduler-clusters/:id": { access: W("clusters") },
  "GET /api/v1/schedulers": { access: R("schedulers") },
  "GET /api/v1/seed-peers": { access: R("seed-peers") },
  "GET /api/v1/audits": { access: R("audits") },
  "GET /api/v1/openapi.json": { access: "public" },
  "GET /oapi/v1/clusters": { access: R("clusters"), oapi: true },
  "POST /api/v1/jobs": { access: W("jobs") },
  "GET /api/v1/jobs": { access: R("jobs") },
  "GET /api/v1/jobs/:id": { access: R("jobs") },
  "POST /oapi/v1/jobs": { access: W("jobs"), oapi: true },
  "GET /oapi/v1/jobs": { access: R("jobs"), oapi: true },
  "GET /oapi/v1/jobs/:id": { access: R("jobs"), oapi: true },
  "GET /_ping": { access: "public" },
  "POST /preheats": { access: W("jobs"), oapi: true },
  "GET /preheats/:id": { access: R("jobs"), oapi: true },
};

/** CallerSpec says how a caller authenticates and which permissions it ends up with. */
interface CallerSpec {
  kind: "anonymous" | "user" | "token" | "refused";
  perms?: Partial<Record<Resource, Action>>;
}

const everything = (action: Action) => Object.fromEntries(RESOURCES.map((r) => [r, action]));
const rootWithScope = (scope: TokenScope) =>
  Object.fromEntries(TOKEN_SCOPES[scope].map((r) => [r, "write" as Action]));

/** CALLERS are the kinds of caller in the matrix; tokens belong to root, limited by their scope. */
const CALLERS = {
  anonymous: { kind: "anonymous" },
  guest: { kind: "user", perms: everything("read") },
  operator: { kind: "user", perms: { clusters: "write", audits: "read" } },
  clusterToken: { kind: "token", perms: rootWithScope("cluster") },
  jobToken: { kind: "token", perms: rootWithScope("job") },
  disabledUser: { kind: "refused" },
  revokedToken: { kind: "refused" },
} satisfies Record<string, CallerSpec>;

/** Caller names one kind of caller. */
type Caller = keyof typeof CALLERS;

/** Expect is 200 (must succeed), "passes" (neither 401 nor 403), or a refusal status. */
type Expect = 200 | "passes" | 401 | 403;

/** expected derives what a caller must get from an entry's access and whether it is a read. */
function expected(caller: Caller, access: Access, read: boolean, oapi = false): Expect | "skip" {
  const spec: CallerSpec = CALLERS[caller];
  if (access === "public") return spec.kind === "anonymous" ? "passes" : "skip";
  if (spec.kind === "anonymous" || spec.kind === "refused") return 401;
  if (oapi && spec.kind !== "token") return 401;
  if (access === "authed") return 200;
  if (access === "session") return spec.kind === "token" ? 403 : "passes";
  const [resource, action] = access;
  const granted = spec.perms?.[resource];
  if (granted !== "write" && !(granted === "read" && action === "read")) return 403;
  return read ? 200 : "passes";
}

let m: TestManager;
const who = Object.fromEntries(Object.keys(CALLERS).map((c) => [c, null])) as Record<
  Caller,
  Credential
>;

beforeAll(async () => {
  m = await startTestManager({ legacyPreheatApi: true });
  const { db } = m.services;
  // Job 1 exists for the job reads (it fails at once: the cluster has no scheduler).
  const job = { type: "preheat", bio: "", args: { type: "file", urls: ["http://o.example/f"] } };
  await createJob(m.services, job, 1);
  const year = new Date(Date.now() + 365 * 86_400_000).toISOString();
  const role = await createRole(db, {
    name: "operator",
    description: "",
    permissions: [
      { resource: "clusters", action: "write" },
      { resource: "audits", action: "read" },
    ],
  });
  await createUser(db, { name: "guest-user", password: "guest-pass-1", bio: "" });
  await createUser(db, { name: "op-user", password: "op-pass-12", bio: "", roleIds: [role.id] });
  const gone = await createUser(db, { name: "gone-user", password: "gone-pass-1", bio: "" });
  who.guest = await signIn(m.http, "guest-user", "guest-pass-1");
  who.operator = await signIn(m.http, "op-user", "op-pass-12");
  who.disabledUser = await signIn(m.http, "gone-user", "gone-pass-1");
  await updateUser(db, 1, gone.id, { state: "disable" });
  const token = async (name: string, scopes: TokenScope[]) =>
    createToken(db, 1, { name, bio: "", scopes, expiredAt: year });
  who.clusterToken = { token: (await token("cluster-t", ["cluster"])).token };
  who.jobToken = { token: (await token("job-t", ["job"])).token };
  const revoked = await token("revoked-t", ["cluster", "job"]);
  await revokeToken(db, revoked.id);
  who.revokedToken = { token: revoked.token };
});

afterAll(() => m.stop());

/** check asserts one status against its expectation. */
function check(status: number, want: Expect, what: string): void {
  if (want === "passes") expect([401, 403], what).not.toContain(status);
  else expect(status, what).toBe(want);
}

describe("tRPC permission matrix", () => {
  // At runtime the router keeps a flat record keyed by dotted path ("users.list").
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: string } }
  >;

  it("covers every procedure", () => {
    expect(Object.keys(TRPC_ACCESS).sort()).toEqual(Object.keys(procedures).sort());
  });

  it.each(Object.keys(CALLERS) as Caller[])("enforces access for caller %s", async (caller) => {
    for (const [path, { access, input }] of Object.entries(TRPC_ACCESS)) {
      const kind = procedures[path]?._def.type === "query" ? "query" : "mutation";
      const want = expected(caller, access, kind === "query");
      if (want === "skip") continue;
      const res = await trpc(m.http, kind, path, who[caller], input ?? {});
      check(res.status, want, `${caller} ${path}`);
    }
  });
});

describe("REST permission matrix", () => {
  it("covers every route", () => {
    expect(Object.keys(REST_ACCESS).sort()).toEqual(
      ROUTES.map((r) => `${r.method} ${r.path}`).sort(),
    );
  });

  it.each(Object.keys(CALLERS) as Caller[])("enforces access for caller %s", async (caller) => {
    for (const [key, { access, oapi }] of Object.entries(REST_ACCESS)) {
      const [method = "GET", path = ""] = key.split(" ");
      const want = expected(caller, access, method === "GET", oapi);
      if (want === "skip") continue;
      const body = method === "GET" || method === "DELETE" ? undefined : {};
      const res = await call(m.http, method, path.replace(":id", "1"), who[caller], body);
      check(res.status, want, `${caller} ${key}`);
      if (res.status >= 400)
        expect(res.json, key).toMatchObject({ code: expect.stringMatching(/^DF_ERR_/) as string });
    }
  });
});
