import { expect, test } from "@playwright/test";

import { apiSignIn, signInAsRoot } from "../support/session";

test("a task search with no scheduler finds no peer and says why", async ({ page }) => {
  await signInAsRoot(page);
  await page.getByRole("link", { name: "Tasks" }).click();
  const form = page.getByRole("form", { name: "Search task" });
  await form.getByLabel("URL", { exact: true }).fill("https://origin.example/missing.bin");
  await form.getByRole("button", { name: "Search" }).click();
  const result = page.getByRole("region", { name: "Search result" });
  await expect(result.getByRole("heading")).toHaveText(/^Task [a-f0-9]{64}$/);
  await expect(result).toContainText(/No peer holds task [a-f0-9]{64}\./);
  await expect(result.getByRole("alert")).toContainText(
    "no active scheduler in scheduler cluster 1",
  );

  await form.getByLabel("By task ID").check();
  await form.getByLabel("Task ID", { exact: true }).fill("not-a-task-id");
  await form.getByRole("button", { name: "Search" }).click();
  await expect(form.getByRole("alert")).toHaveText(
    "args.task_id: must be 64 lowercase hex characters",
  );
});

test("deleting a task's cache needs its id typed, is audited and shows the job", async ({
  page,
  request,
}) => {
  const taskId = "ab".repeat(32);
  await signInAsRoot(page);
  await page.goto("/tasks");
  const form = page.getByRole("form", { name: "Search task" });
  await form.getByLabel("By task ID").check();
  await form.getByLabel("Task ID", { exact: true }).fill(taskId);
  await form.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("region", { name: "Search result" })).toContainText(
    `No peer holds task ${taskId}.`,
  );

  await page.getByRole("button", { name: "Delete cache" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete the task's cache?" });
  const confirm = dialog.getByRole("button", { name: "Delete cache" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type the task ID to confirm").fill(taskId.slice(0, 20));
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type the task ID to confirm").fill(taskId);
  await confirm.click();

  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  const summary = page.getByRole("region", { name: /Task delete/ });
  await expect(summary).toContainText(taskId);
  await expect(summary.getByText("FAILURE", { exact: true })).toBeVisible();

  await apiSignIn(request);
  const audit = await request.get("/api/v1/audits?action=tasks.delete");
  const rows = (await audit.json()) as Array<{ targetId: string; state: string }>;
  expect(rows[0]).toMatchObject({ state: "SUCCESS" });
});
