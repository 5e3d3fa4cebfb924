import { expect, test } from "@playwright/test";

import { E2E } from "../support/constants";
import { signInAsRoot, unique } from "../support/session";

test("a new token is shown once with a copy button, works, is listed and can be revoked", async ({
  page,
  context,
  playwright,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const name = unique("ci");
  await signInAsRoot(page);
  await page.getByRole("link", { name: "Access tokens" }).click();

  const form = page.getByRole("form", { name: "Create token" });
  await form.getByLabel("Token name").fill(name);
  await form.getByLabel("Description").fill("used by e2e");
  await form.getByLabel("Expires in").selectOption("90");
  await form.getByLabel("cluster").check();
  await form.getByRole("button", { name: "Create token" }).click();

  const reveal = page.getByRole("region", { name: `Token ${name} created` });
  await expect(reveal).toContainText("will not be shown again");
  const field = reveal.getByLabel("Token");
  await expect(field).toHaveValue(/^dfp_/);
  const secret = await field.inputValue();
  await reveal.getByRole("button", { name: "Copy token" }).click();
  await expect(reveal.getByRole("status")).toHaveText("Copied to the clipboard.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  const row = page
    .getByRole("table", { name: "Personal access tokens" })
    .getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText(secret.slice(0, 12));
  await expect(row).toContainText("job, cluster");
  await expect(row.getByText("active", { exact: true })).toBeVisible();

  // The token authenticates API calls within its scopes.
  const api = await playwright.request.newContext({
    baseURL: E2E.baseUrl,
    extraHTTPHeaders: { authorization: `Bearer ${secret}` },
  });
  expect((await api.get("/api/v1/schedulers")).status()).toBe(200);

  // It is never shown again.
  await page.reload();
  await expect(page.getByRole("form", { name: "Create token" })).toBeVisible();
  await expect(page.getByRole("region", { name: `Token ${name} created` })).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);

  await row.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("dialog", { name: `Revoke token ${name}?` });
  await dialog.getByRole("button", { name: "Revoke" }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText("inactive", { exact: true })).toBeVisible();
  await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);
  expect((await api.get("/api/v1/schedulers")).status()).toBe(401);
  await api.dispose();
});

test("a token without a scope or with a taken name is refused with the reason", async ({
  page,
}) => {
  const name = unique("dup");
  await signInAsRoot(page);
  await page.goto("/tokens");
  const form = page.getByRole("form", { name: "Create token" });
  await form.getByLabel("Token name").fill(name);
  await form.getByLabel("job").uncheck();
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByRole("alert")).toHaveText("scopes: name at least one scope");

  await form.getByLabel("job").check();
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("region", { name: `Token ${name} created` })).toBeVisible();
  await form.getByLabel("Token name").fill(name);
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByRole("alert")).toHaveText(`personal access token ${name} already exists`);
});
