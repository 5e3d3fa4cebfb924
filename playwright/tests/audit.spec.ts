import { expect, test } from "@playwright/test";

import { apiSignIn, signInAsRoot, unique } from "../support/session";

test("filters by action and status; the filters live in the URL and survive a reload", async ({
  page,
  request,
}) => {
  const role = unique("audited");
  await apiSignIn(request);
  expect((await request.post("/api/v1/roles", { data: { name: role } })).status()).toBe(200);
  expect((await request.post("/api/v1/roles", { data: { name: role } })).status()).toBe(409);

  await signInAsRoot(page);
  await page.getByRole("link", { name: "Audit log" }).click();
  const filters = page.getByRole("search", { name: "Filter audit log" });
  await filters.getByLabel("Action").fill("roles.create");
  await filters.getByLabel("Status").selectOption("SUCCESS");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]action=roles\.create/);
  await expect(page).toHaveURL(/[?&]state=SUCCESS/);

  const table = page.getByRole("table", { name: "Audit log" });
  const mine = table.getByRole("row", { name: new RegExp(role) });
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText("roles.create");
  await expect(mine.getByText("SUCCESS", { exact: true })).toBeVisible();
  await expect(table.getByText("FAILURE", { exact: true })).toHaveCount(0);

  await page.reload();
  await expect(filters.getByLabel("Action")).toHaveValue("roles.create");
  await expect(filters.getByLabel("Status")).toHaveValue("SUCCESS");
  await expect(mine).toHaveCount(1);

  await filters.getByLabel("Status").selectOption("FAILURE");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]state=FAILURE/);
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText("DF_ERR_ALREADY_EXISTS");
  await expect(table.getByText("SUCCESS", { exact: true })).toHaveCount(0);

  await page.goBack();
  await expect(filters.getByLabel("Status")).toHaveValue("SUCCESS");
  await filters.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(filters.getByLabel("Action")).toHaveValue("");
});

test("filters by actor type, actor name and time", async ({ page }) => {
  const ghost = unique("ghost");
  await page.goto("/signin");
  await page.getByLabel("User name").fill(ghost);
  await page.getByLabel("Password").fill("no-such-user-pw");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(
    "wrong user name or password",
  );

  await signInAsRoot(page);
  await page.goto("/audit");
  const filters = page.getByRole("search", { name: "Filter audit log" });
  await filters.getByLabel("Actor type").selectOption("UNKNOWN");
  await filters.getByLabel("Actor name").fill(ghost);
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`actorType=UNKNOWN&actorName=${ghost}`));
  const table = page.getByRole("table", { name: "Audit log" });
  await expect(table.getByRole("row")).toHaveCount(2);
  const row = table.getByRole("row", { name: new RegExp(ghost) });
  await expect(row).toContainText("auth.signIn");
  await expect(row).toContainText("DF_ERR_UNAUTHENTICATED");
  await expect(row.getByText("FAILURE", { exact: true })).toBeVisible();

  await filters.getByLabel("Since").fill("2099-06-01T12:00");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/since=2099-06-01T/);
  await expect(table).toContainText("No audit entries match these filters.");
  await page.reload();
  await expect(filters.getByLabel("Since")).toHaveValue("2099-06-01T12:00");
});
