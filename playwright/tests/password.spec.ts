import { expect, test } from "@playwright/test";

import { createUser, signIn } from "../support/session";

// Passwords are changed on freshly created users only, never root's, so later tests still sign in.

test("a user changes their own password; the old one stops working", async ({ page, request }) => {
  const user = await createUser(request);
  await signIn(page, user.name, user.password);
  await page.getByRole("link", { name: "Profile" }).click();
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill(user.password);
  await form.getByLabel("New password", { exact: true }).fill("brand-new-password-9");
  await form.getByLabel("Confirm new password").fill("brand-new-password-9");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toHaveText("Your password was changed.");
  await expect(form.getByLabel("Current password")).toHaveValue("");

  // The session that changed the password stays signed in.
  await page.reload();
  await expect(page.getByText(`Signed in as ${user.name}`)).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);

  await page.getByLabel("User name").fill(user.name);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(
    "wrong user name or password",
  );
  await signIn(page, user.name, "brand-new-password-9");
});

test("a wrong current password, a mismatch and a short password are refused", async ({
  page,
  request,
}) => {
  const user = await createUser(request);
  await signIn(page, user.name, user.password);
  await page.goto("/profile");
  const form = page.getByRole("form", { name: "Change password" });
  const submit = form.getByRole("button", { name: "Change password" });

  await form.getByLabel("Current password").fill(user.password);
  await form.getByLabel("New password", { exact: true }).fill("another-password-1");
  await form.getByLabel("Confirm new password").fill("another-password-2");
  await submit.click();
  await expect(form.getByRole("alert")).toHaveText("The new passwords do not match.");

  await form.getByLabel("Confirm new password").fill("another-password-1");
  await form.getByLabel("Current password").fill("not-my-password");
  await submit.click();
  await expect(form.getByRole("alert")).toHaveText(
    "oldPassword: does not match the current password",
  );

  await form.getByLabel("Current password").fill(user.password);
  await form.getByLabel("New password", { exact: true }).fill("short");
  await form.getByLabel("Confirm new password").fill("short");
  await submit.click();
  await expect(form.getByRole("alert")).toHaveText("newPassword: must be at least 8 characters");
  await expect(form.getByRole("status")).toHaveText("");
});
