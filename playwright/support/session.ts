/**
 * Sign-in and setup helpers for the console's browser tests. Setup data goes through the REST API
 * (fast, and not what the test is about); the flow under test goes through the UI.
 */
import { expect, type APIRequestContext, type Page } from "@playwright/test";

import { E2E } from "./constants";

/** unique returns a fresh lowercase name, so every test works on its own data. */
export function unique(prefix: string): string {
  const random = Math.random().toString(36).slice(2, 7);
  return `${prefix}-${Date.now().toString(36)}${random}`;
}

/** signIn signs in through the sign-in page and waits for the signed-in shell. */
export async function signIn(page: Page, name: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("User name").fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(`Signed in as ${name}`)).toBeVisible();
}

/** signInAsRoot signs the page in as root. */
export const signInAsRoot = (page: Page): Promise<void> => signIn(page, "root", E2E.rootPassword);

/** apiSignIn opens a session for `request` through REST; later calls carry its cookie. */
export async function apiSignIn(
  request: APIRequestContext,
  name = "root",
  password: string = E2E.rootPassword,
): Promise<void> {
  const res = await request.post("/api/v1/users/signin", { data: { name, password } });
  expect(res.status(), await res.text()).toBe(200);
}

/** apiPost sends a JSON body through REST and returns the JSON reply, failing on any error. */
export async function apiPost<T>(
  request: APIRequestContext,
  path: string,
  data: object,
  method: "POST" | "PATCH" = "POST",
): Promise<T> {
  const res = await request.fetch(path, { method, data });
  expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

/** createUser creates a user as root through REST (guest role unless roles are given). */
export async function createUser(
  request: APIRequestContext,
  opts: { name?: string; password?: string; roleIds?: number[] } = {},
): Promise<{ id: number; name: string; password: string }> {
  await apiSignIn(request);
  const name = opts.name ?? unique("user");
  const password = opts.password ?? `pw-${Math.random().toString(36).slice(2, 12)}`;
  const user = await apiPost<{ id: number }>(request, "/api/v1/users", {
    name,
    password,
    ...(opts.roleIds ? { roleIds: opts.roleIds } : {}),
  });
  return { id: user.id, name, password };
}

/** createCluster creates a scheduler cluster as root through REST. */
export async function createCluster(
  request: APIRequestContext,
  body: { name?: string; config?: Record<string, number> } = {},
): Promise<{ id: number; name: string; configRevision: number }> {
  await apiSignIn(request);
  return apiPost(request, "/api/v1/scheduler-clusters", { name: unique("cluster"), ...body });
}
