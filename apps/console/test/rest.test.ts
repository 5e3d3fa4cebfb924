import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ROUTES } from "../src/server/rest";
import { call, signIn, type Credential } from "./support/http";
import { ROOT_PASSWORD, startTestManager, type TestManager } from "./support/manager";

let m: TestManager;
let root: Credential;

beforeAll(async () => {
  m = await startTestManager();
  root = await signIn(m.http, "root", ROOT_PASSWORD);
  for (const name of ["alice", "bob", "carol"])
    await call(m.http, "POST", "/api/v1/users", root, { name, password: "password-1" });
});

afterAll(() => m.stop());

describe("REST conventions", () => {
  it("pages lists with page/per_page, a Link header and the total count", async () => {
    const res = await call(m.http, "GET", "/api/v1/users?page=2&per_page=1", root);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject([{ id: 2, name: "alice", roles: ["guest"] }]);
    expect(res.headers.get("x-total-count")).toBe("4");
    const link = res.headers.get("link") ?? "";
    expect(link).toContain('</api/v1/users?page=1&per_page=1>; rel="first"');
    expect(link).toContain('</api/v1/users?page=1&per_page=1>; rel="prev"');
    expect(link).toContain('</api/v1/users?page=3&per_page=1>; rel="next"');
    expect(link).toContain('</api/v1/users?page=4&per_page=1>; rel="last"');
  });

  it("defaults to 10 per page and caps per_page at 100", async () => {
    const res = await call(m.http, "GET", "/api/v1/users", root);
    expect((res.json as unknown[]).length).toBe(4);
    expect(res.headers.get("link")).toContain("per_page=10");
    const tooMany = await call(m.http, "GET", "/api/v1/users?per_page=101", root);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json).toMatchObject({
      code: "DF_ERR_INVALID_ARGUMENT",
      message: expect.stringContaining("perPage") as string,
    });
  });

  it("answers every error with {code, message} and the status of its code", async () => {
    const cases: Array<[string, string, unknown, number, string]> = [
      ["GET", "/api/v1/nope", undefined, 404, "DF_ERR_NOT_FOUND"],
      ["GET", "/api/v1/users/999", undefined, 404, "DF_ERR_NOT_FOUND"],
      ["GET", "/api/v1/users/abc", undefined, 400, "DF_ERR_INVALID_ARGUMENT"],
      ["PUT", "/api/v1/users", {}, 400, "DF_ERR_INVALID_ARGUMENT"],
      [
        "POST",
        "/api/v1/users",
        { name: "alice", password: "password-1" },
        409,
        "DF_ERR_ALREADY_EXISTS",
      ],
      ["DELETE", "/api/v1/scheduler-clusters/1", undefined, 409, "DF_ERR_INVALID_STATE_TRANSITION"],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await call(m.http, method, path, root, body);
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(res.json).toEqual({ code, message: expect.any(String) as string });
    }
  });

  it("refuses a body that is not JSON", async () => {
    const res = await fetch(`${m.http}/api/v1/users`, {
      method: "POST",
      headers: {
        cookie: root && "cookie" in root ? root.cookie : "",
        "content-type": "text/plain",
      },
      body: "name=x",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      message: expect.stringContaining("content-type") as string,
    });
  });

  it("accepts Dragonfly's snake_case body keys", async () => {
    const res = await call(m.http, "POST", "/api/v1/scheduler-clusters", root, {
      name: "snake",
      client_config: { load_limit: 300 },
      is_default: false,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      name: "snake",
      clientConfig: { load_limit: 300 },
      configRevision: 1,
    });
    const id = (res.json as { id: number }).id;
    expect((await call(m.http, "DELETE", `/api/v1/scheduler-clusters/${id}`, root)).status).toBe(
      200,
    );
    expect((await call(m.http, "GET", `/api/v1/scheduler-clusters/${id}`, root)).status).toBe(404);
  });

  it("signs in with a cookie, returns the user, and signs out", async () => {
    const res = await call(m.http, "POST", "/api/v1/users/signin", null, {
      name: "root",
      password: ROOT_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: 1, name: "root" });
    const cookie = { cookie: res.headers.get("set-cookie")?.split(";")[0] ?? "" };
    expect((await call(m.http, "GET", "/api/v1/users", cookie)).status).toBe(200);
    expect((await call(m.http, "POST", "/api/v1/users/signout", cookie)).status).toBe(200);
    expect((await call(m.http, "GET", "/api/v1/users", cookie)).status).toBe(401);
  });

  it("serves an OpenAPI 3.1 document generated from the route schemas", async () => {
    const res = await call(m.http, "GET", "/api/v1/openapi.json");
    const doc = res.json as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { operationId: string; requestBody?: unknown; parameters: Array<{ name: string }> }
        >
      >;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    for (const r of ROUTES) {
      const op = doc.paths[r.path.replace(/:(\w+)/g, "{$1}")]?.[r.method.toLowerCase()];
      expect(op?.operationId, `${r.method} ${r.path}`).toBe(r.action);
    }
    const create = doc.paths["/api/v1/users"]?.post;
    expect(create?.requestBody).toMatchObject({
      content: { "application/json": { schema: { required: ["name", "password"] } } },
    });
    expect(doc.paths["/api/v1/users"]?.get?.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(["page", "per_page", "name", "state"]),
    );
    expect(doc.components.schemas.SchedulerConfig).toMatchObject({ type: "object" });
  });
});
