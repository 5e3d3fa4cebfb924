import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { call, signIn, trpc, type Credential } from "./support/http";
import { ROOT_PASSWORD, startTestManager, type TestManager } from "./support/manager";

let m: TestManager;
let root: Credential;

beforeAll(async () => {
  m = await startTestManager();
  root = await signIn(m.http, "root", ROOT_PASSWORD);
});

afterAll(() => m.stop());

const year = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

describe("users", () => {
  it("refuses a disabled user's session at once, and lets them back in when enabled", async () => {
    const created = await call(m.http, "POST", "/api/v1/users", root, {
      name: "dave",
      password: "dave-pass-1",
    });
    const id = (created.json as { id: number }).id;
    const dave = await signIn(m.http, "dave", "dave-pass-1");
    expect((await trpc(m.http, "query", "auth.me", dave)).status).toBe(200);
    expect(
      (await trpc(m.http, "mutation", "users.setState", root, { id, state: "disable" })).status,
    ).toBe(200);
    expect((await trpc(m.http, "query", "auth.me", dave)).status).toBe(401);
    expect(
      (
        await call(m.http, "POST", "/api/v1/users/signin", null, {
          name: "dave",
          password: "dave-pass-1",
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(m.http, "PATCH", `/api/v1/users/${id}`, root, { state: "enable" })).status,
    ).toBe(200);
    await signIn(m.http, "dave", "dave-pass-1");
  });

  it("resets a password (ending sessions) and lets users change their own", async () => {
    const created = await trpc(m.http, "mutation", "users.create", root, {
      name: "erin",
      password: "erin-pass-1",
    });
    const id = (created.json as { id: number }).id;
    const erin = await signIn(m.http, "erin", "erin-pass-1");
    const wrong = await trpc(m.http, "mutation", "users.changePassword", erin, {
      oldPassword: "nope",
      newPassword: "erin-pass-2",
    });
    expect(wrong.status).toBe(400);
    const ok = await trpc(m.http, "mutation", "users.changePassword", erin, {
      oldPassword: "erin-pass-1",
      newPassword: "erin-pass-2",
    });
    expect(ok.status).toBe(200);
    expect((await trpc(m.http, "query", "auth.me", erin)).status).toBe(200);
    await trpc(m.http, "mutation", "users.resetPassword", root, { id, password: "erin-pass-3" });
    expect((await trpc(m.http, "query", "auth.me", erin)).status).toBe(401);
    await signIn(m.http, "erin", "erin-pass-3");
  });

  it("never disables the caller or the last enabled root", async () => {
    const self = await call(m.http, "PATCH", "/api/v1/users/1", root, { state: "disable" });
    expect(self.status).toBe(409);
    const strip = await trpc(m.http, "mutation", "roles.assign", root, { userId: 1, roleIds: [] });
    expect(strip.status).toBe(412);
  });
});

describe("roles", () => {
  it("creates, updates, assigns and deletes a custom role; built-in roles stay", async () => {
    const created = await call(m.http, "POST", "/api/v1/roles", root, {
      name: "auditor",
      permissions: [{ resource: "audits", action: "read" }],
    });
    expect(created.status).toBe(200);
    const role = created.json as { id: number };
    const user = await call(m.http, "POST", "/api/v1/users", root, {
      name: "frank",
      password: "frank-pass",
      roleIds: [role.id],
    });
    expect(user.json).toMatchObject({ roles: ["auditor"] });
    const frank = await signIn(m.http, "frank", "frank-pass");
    expect((await call(m.http, "GET", "/api/v1/audits", frank)).status).toBe(200);
    expect((await call(m.http, "GET", "/api/v1/users", frank)).status).toBe(403);

    await trpc(m.http, "mutation", "roles.update", root, {
      id: role.id,
      permissions: [{ resource: "users", action: "read" }],
    });
    expect((await call(m.http, "GET", "/api/v1/users", frank)).status).toBe(200);
    expect((await call(m.http, "GET", "/api/v1/audits", frank)).status).toBe(403);

    expect((await trpc(m.http, "mutation", "roles.delete", root, { id: 1 })).status).toBe(412);
    expect((await trpc(m.http, "mutation", "roles.delete", root, { id: role.id })).status).toBe(
      200,
    );
    expect((await call(m.http, "GET", "/api/v1/users", frank)).status).toBe(403);
    const roles = await call(m.http, "GET", "/api/v1/roles", root);
    expect((roles.json as Array<{ name: string }>).map((r) => r.name)).toEqual(["root", "guest"]);
  });
});

describe("personal access tokens", () => {
  it("shows the secret once, lists without it, acts within scope and is refused once revoked", async () => {
    const created = await call(m.http, "POST", "/api/v1/personal-access-tokens", root, {
      name: "ci",
      scopes: ["cluster"],
      expiredAt: year(),
    });
    expect(created.status).toBe(200);
    const { id, token } = created.json as { id: number; token: string };
    expect(token).toMatch(/^dfp_/);
    const listed = await call(m.http, "GET", "/api/v1/personal-access-tokens", root);
    expect(JSON.stringify(listed.json)).not.toContain(token);
    expect(listed.json).toMatchObject([
      { id, name: "ci", tokenPrefix: token.slice(0, 12), state: "active", userName: "root" },
    ]);

    const bearer = { token };
    expect((await call(m.http, "GET", "/oapi/v1/clusters", bearer)).status).toBe(200);
    expect((await call(m.http, "GET", "/api/v1/scheduler-clusters", bearer)).status).toBe(200);
    expect((await call(m.http, "GET", "/api/v1/users", bearer)).status).toBe(403);
    expect((await call(m.http, "GET", "/oapi/v1/clusters", root)).status).toBe(401);

    const used = await call(m.http, "GET", "/api/v1/personal-access-tokens", root);
    expect((used.json as Array<{ lastUsedAt: string | null }>)[0]?.lastUsedAt).not.toBeNull();
    expect(
      (await call(m.http, "DELETE", `/api/v1/personal-access-tokens/${id}`, root)).status,
    ).toBe(200);
    expect((await call(m.http, "GET", "/oapi/v1/clusters", bearer)).status).toBe(401);
  });

  it("refuses a past expiry and an empty scope list, naming the field", async () => {
    const past = await call(m.http, "POST", "/api/v1/personal-access-tokens", root, {
      name: "old",
      scopes: ["job"],
      expiredAt: "2000-01-01T00:00:00Z",
    });
    expect(past.json).toMatchObject({
      code: "DF_ERR_INVALID_ARGUMENT",
      message: expect.stringContaining("expiredAt") as string,
    });
    const none = await call(m.http, "POST", "/api/v1/personal-access-tokens", root, {
      name: "none",
      scopes: [],
      expiredAt: year(),
    });
    expect(none.json).toMatchObject({ message: expect.stringContaining("scopes") as string });
  });
});

describe("audit", () => {
  it("records every mutation with actor, action, target and outcome, redacting secrets", async () => {
    await call(m.http, "POST", "/api/v1/users", root, { name: "gina", password: "gina-pass-1" });
    const guest = await signIn(m.http, "gina", "gina-pass-1");
    await trpc(m.http, "mutation", "schedulerClusters.create", guest, { name: "nope" });
    const token = (
      await trpc(m.http, "mutation", "personalAccessTokens.create", root, {
        name: "aud",
        scopes: ["cluster"],
        expiredAt: year(),
      })
    ).json as { token: string };
    await call(
      m.http,
      "PATCH",
      "/api/v1/scheduler-clusters/1",
      { token: token.token },
      { bio: "by token" },
    );

    const res = await call(m.http, "GET", "/api/v1/audits?per_page=100", root);
    const rows = res.json as Array<{
      actorType: string;
      actorName: string;
      action: string;
      targetType: string;
      targetId: string;
      state: string;
      detail: { input?: Record<string, unknown>; error?: { code: string } };
    }>;
    const create = rows.find((r) => r.action === "users.create" && r.detail.input?.name === "gina");
    expect(create).toMatchObject({
      actorType: "USER",
      actorName: "root",
      targetType: "users",
      state: "SUCCESS",
    });
    expect(create?.targetId).toMatch(/^\d+$/);
    expect(create?.detail.input?.password).toBe("[redacted]");
    expect(
      rows.find((r) => r.action === "schedulerClusters.create" && r.actorName === "gina"),
    ).toMatchObject({
      state: "FAILURE",
      targetType: "scheduler-clusters",
      detail: { error: { code: "DF_ERR_PERMISSION_DENIED" } },
    });
    expect(
      rows.find((r) => r.action === "schedulerClusters.update" && r.actorType === "PAT"),
    ).toMatchObject({
      actorName: "aud",
      targetId: "1",
      state: "SUCCESS",
    });
    // A successful sign-in is recorded under the user it signed in; a failed one stays anonymous.
    await call(m.http, "POST", "/api/v1/users/signin", null, { name: "gina", password: "nope-x" });
    const again = await call(m.http, "GET", "/api/v1/audits?per_page=100", root);
    const signIns = (again.json as typeof rows).filter(
      (r) => r.action === "auth.signIn" && r.actorName === "gina",
    );
    expect(signIns.find((r) => r.state === "SUCCESS")).toMatchObject({ actorType: "USER" });
    expect(signIns.find((r) => r.state === "FAILURE")).toMatchObject({ actorType: "UNKNOWN" });
    const filtered = await call(
      m.http,
      "GET",
      "/api/v1/audits?state=FAILURE&actor_name=gina",
      root,
    );
    expect((filtered.json as unknown[]).length).toBeGreaterThan(0);
    expect(filtered.json).toEqual(
      expect.arrayContaining([expect.objectContaining({ state: "FAILURE" })]),
    );
  });
});

describe("sign-in throttling", () => {
  it("answers 429 after repeated failures, even for the right password", async () => {
    await call(m.http, "POST", "/api/v1/users", root, { name: "hank", password: "hank-pass-1" });
    const attempt = (password: string) =>
      call(m.http, "POST", "/api/v1/users/signin", null, { name: "hank", password });
    for (let i = 0; i < 5; i++) expect((await attempt("wrong-pass")).status).toBe(401);
    const locked = await attempt("hank-pass-1");
    expect(locked.status).toBe(429);
    expect(locked.json).toMatchObject({ code: "DF_ERR_RATE_LIMITED" });
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const viaTrpc = await trpc(m.http, "mutation", "auth.signIn", null, {
      name: "hank",
      password: "hank-pass-1",
    });
    expect(viaTrpc.status).toBe(429);
  });
});
