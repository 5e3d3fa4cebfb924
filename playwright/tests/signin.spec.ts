import { expect, test } from "@playwright/test";

import { E2E } from "../support/constants";

test("an anonymous visitor is sent to the sign-in page, which renders its form", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole("heading", { name: "Dragonfly Manager" })).toBeVisible();
  await expect(page.getByLabel("User name")).toBeVisible();
  await expect(page.getByLabel("Password")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
});

test("a wrong password is refused with a clear message and no session", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("User name").fill("root");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(
    "wrong user name or password",
  );
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === "df_session")).toBeUndefined();
});

test("root signs in with an HTTP-only session, sees the default cluster, and signs out", async ({
  page,
}) => {
  await page.goto("/signin");
  await page.getByLabel("User name").fill("root");
  await page.getByLabel("Password").fill(E2E.rootPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Clusters" })).toBeVisible();
  await expect(page.getByText("Signed in as root")).toBeVisible();
  const table = page.getByRole("table", { name: "Scheduler clusters" });
  await expect(table.getByRole("cell", { name: "cluster-1" })).toBeVisible();
  const session = (await page.context().cookies()).find((c) => c.name === "df_session");
  expect(session?.httpOnly).toBe(true);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin$/);
});
