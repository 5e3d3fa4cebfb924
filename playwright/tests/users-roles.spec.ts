import { expect, test, type Browser, type Page } from "@playwright/test";

import { createUser, signIn, signInAsRoot, unique } from "../support/session";

/** asUser opens a separate browser session signed in as another user. */
async function asUser(browser: Browser, name: string, password: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, name, password);
  return page;
}

/** userRow finds a user's row on the users page through the name search. */
async function userRow(page: Page, name: string) {
  await page.getByLabel("Search users").fill(name);
  const row = page
    .getByRole("table", { name: "Users" })
    .getByRole("row", { name: new RegExp(name) });
  await expect(row).toHaveCount(1);
  return row;
}

test("root creates a user, disables and enables it, and resets its password", async ({
  page,
  browser,
}) => {
  const name = unique("alice");
  await signInAsRoot(page);
  await page.getByRole("link", { name: "Users" }).click();
  const form = page.getByRole("form", { name: "Create user" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Email").fill(`${name}@example.com`);
  await form.getByLabel("Initial password").fill("first-password-1");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("status")).toHaveText(`User ${name} created.`);

  const row = await userRow(page, name);
  await expect(row).toContainText("guest");
  await expect(row.getByText("enabled", { exact: true })).toBeVisible();

  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row.getByText("disabled", { exact: true })).toBeVisible();
  const other = await (await browser.newContext()).newPage();
  await other.goto("/signin");
  await other.getByLabel("User name").fill(name);
  await other.getByLabel("Password").fill("first-password-1");
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(
    "this user is disabled",
  );

  await row.getByRole("button", { name: "Enable" }).click();
  await expect(row.getByText("enabled", { exact: true })).toBeVisible();

  await row.getByRole("button", { name: "Reset password" }).click();
  const dialog = page.getByRole("dialog", { name: `Reset password of ${name}` });
  await dialog.getByLabel("New password").fill("short");
  await dialog.getByRole("button", { name: "Reset password" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("password: must be at least 8 characters");
  await dialog.getByLabel("New password").fill("second-password-2");
  await dialog.getByRole("button", { name: "Reset password" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status")).toHaveText(`The password of ${name} was reset.`);
  await signIn(other, name, "second-password-2");

  // Root cannot disable itself; the refusal is shown, not swallowed.
  const root = await userRow(page, "root");
  await root.getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("you cannot disable yourself");
});

test("a custom role grants read or write per resource and can be edited, assigned and deleted", async ({
  page,
  browser,
  request,
}) => {
  const role = unique("ops");
  const user = await createUser(request);
  await signInAsRoot(page);
  await page.getByRole("link", { name: "Roles" }).click();

  const form = page.getByRole("form", { name: "Create role" });
  await form.getByLabel("Role name").fill("Not Valid");
  await form.getByRole("button", { name: "Create role" }).click();
  await expect(form.getByRole("alert")).toContainText("name: must be 1-64 of a-z");

  await form.getByLabel("Role name").fill(role);
  await form.getByLabel("Description").fill("cluster operators");
  await form.getByLabel("Clusters", { exact: true }).selectOption("write");
  await form.getByLabel("Schedulers", { exact: true }).selectOption("read");
  await form.getByRole("button", { name: "Create role" }).click();
  await expect(page.getByRole("status")).toHaveText(`Role ${role} created.`);
  const row = page
    .getByRole("table", { name: "Roles" })
    .getByRole("row", { name: new RegExp(role) });
  await expect(row).toContainText("Clusters: write, Schedulers: read");
  await expect(form.getByLabel("Role name")).toHaveValue("");

  await row.getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: `Edit role ${role}` });
  await expect(dialog.getByLabel("Clusters", { exact: true })).toHaveValue("write");
  await dialog.getByLabel("Users", { exact: true }).selectOption("read");
  await dialog.getByRole("button", { name: "Save role" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("Clusters: write, Schedulers: read, Users: read");

  await page.getByRole("link", { name: "Users" }).click();
  const userLine = await userRow(page, user.name);
  await userLine.getByRole("button", { name: "Edit roles" }).click();
  const assign = page.getByRole("dialog", { name: `Roles of ${user.name}` });
  await expect(assign.getByLabel("guest")).toBeChecked();
  await assign.getByLabel("guest").uncheck();
  await assign.getByLabel(role).check();
  await assign.getByRole("button", { name: "Save roles" }).click();
  await expect(assign).toBeHidden();
  await expect(userLine.getByRole("cell", { name: role, exact: true })).toBeVisible();

  // The user sees what the role grants: cluster writes, but no user administration.
  const theirs = await asUser(browser, user.name, user.password);
  const nav = theirs.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Schedulers" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Roles" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await expect(theirs.getByRole("link", { name: "Add cluster" })).toBeVisible();
  await nav.getByRole("link", { name: "Users" }).click();
  await expect(theirs.getByRole("table", { name: "Users" })).toBeVisible();
  await expect(theirs.getByRole("form", { name: "Create user" })).toHaveCount(0);
  await expect(theirs.getByRole("button", { name: "Disable" })).toHaveCount(0);

  await page.getByRole("link", { name: "Roles" }).click();
  await row.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: `Delete role ${role}?` });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toHaveCount(0);
  const builtIn = page.getByRole("table", { name: "Roles" }).getByRole("row", { name: /^root/ });
  await expect(builtIn.getByRole("button")).toHaveCount(0);
});

test("a guest browses but is shown no write actions", async ({ page, request }) => {
  const guest = await createUser(request);
  await signIn(page, guest.name, guest.password);
  await expect(page.getByRole("table", { name: "Scheduler clusters" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Add cluster" })).toHaveCount(0);
  await page.getByRole("link", { name: "cluster-1" }).click();
  await expect(page.getByRole("heading", { name: "Cluster cluster-1" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit cluster" })).toHaveCount(0);
  await page.getByRole("link", { name: "Roles" }).click();
  await expect(page.getByRole("table", { name: "Roles" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Create role" })).toHaveCount(0);
  await page.getByRole("link", { name: "Access tokens" }).click();
  await expect(page.getByRole("table", { name: "Personal access tokens" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Create token" })).toHaveCount(0);
});
