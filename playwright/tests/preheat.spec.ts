import { expect, test } from "@playwright/test";

import { JobState, startFakeScheduler } from "../../apps/console/test/support/fake-scheduler";
import { E2E } from "../support/constants";
import { apiSignIn, createCluster, signInAsRoot, unique } from "../support/session";

test("invalid preheats are refused with the field and reason; nothing is created", async ({
  page,
  request,
}) => {
  await apiSignIn(request);
  const before = (await request.get("/api/v1/jobs")).headers()["x-total-count"];
  await signInAsRoot(page);
  await page.getByRole("link", { name: "Jobs" }).click();
  await page.getByRole("link", { name: "New preheat" }).click();
  const form = page.getByRole("form", { name: "Create preheat" });

  await form.getByLabel("Manifest URL").fill("https://registry.example/library/nginx:1.27");
  await form.getByRole("button", { name: "Create preheat" }).click();
  await expect(form.getByRole("alert")).toHaveText(/^args\.url: must be a manifest URL/);

  await form.getByLabel("File").check();
  await form.getByLabel("URLs").fill("ftp://origin.example/file.bin");
  await form.getByRole("button", { name: "Create preheat" }).click();
  await expect(form.getByRole("alert")).toHaveText(
    "args.urls.0: must be an absolute http:// or https:// URL",
  );

  await form.getByLabel("URLs").fill("https://origin.example/file.bin");
  await form.getByLabel("Headers").fill("no colon here");
  await form.getByRole("button", { name: "Create preheat" }).click();
  await expect(form.getByRole("alert")).toHaveText('headers: line 1 must look like "Name: value"');
  await expect(page).toHaveURL(/\/jobs\/new$/);
  expect((await request.get("/api/v1/jobs")).headers()["x-total-count"]).toBe(before);
});

test("a preheat with no active scheduler fails with the reason; credentials are never shown", async ({
  page,
}) => {
  const bio = unique("warm");
  await signInAsRoot(page);
  await page.goto("/jobs/new");
  const form = page.getByRole("form", { name: "Create preheat" });
  await form.getByLabel("File").check();
  await form.getByLabel("URLs").fill("https://origin.example/a.bin\nhttps://origin.example/b.bin");
  await form.getByLabel("Headers").fill("Authorization: Bearer very-secret-42");
  await form.getByLabel("All seed peers").check();
  await form.getByLabel("Hosts").selectOption("count");
  await form.getByLabel("Count (1-200)").fill("2");
  await form.getByLabel("Description").fill(bio);
  await form.getByRole("button", { name: "Create preheat" }).click();

  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  const summary = page.getByRole("region", { name: /Preheat/ });
  await expect(summary.getByText("FAILURE", { exact: true })).toBeVisible();
  await expect(summary).toContainText("all_seed_peers");
  await expect(summary).toContainText("Authorization: [redacted]");
  const part = page.getByRole("region", { name: "Part of scheduler cluster 1" });
  await expect(part.getByRole("alert")).toHaveText(/^no active scheduler in scheduler cluster 1 /);
  await expect(page.getByText("very-secret-42")).toHaveCount(0);
});

test("the job list shows status badges and keeps its filters in the URL", async ({
  page,
  request,
}) => {
  const bio = unique("listed");
  await apiSignIn(request);
  const res = await request.post("/api/v1/jobs", {
    data: { type: "preheat", bio, args: { type: "file", urls: ["https://origin.example/c.bin"] } },
  });
  expect(res.status()).toBe(200);
  const { id } = (await res.json()) as { id: number };

  await signInAsRoot(page);
  await page.goto("/jobs");
  const filters = page.getByRole("search", { name: "Filter jobs" });
  await filters.getByLabel("Type").selectOption("preheat");
  await expect(page).toHaveURL(/type=preheat/);
  await filters.getByLabel("Status").selectOption("FAILURE");
  await expect(page).toHaveURL(/type=preheat&state=FAILURE/);
  const table = page.getByRole("table", { name: "Jobs" });
  const row = table.getByRole("row", { name: new RegExp(bio) });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("FAILURE", { exact: true })).toBeVisible();

  await page.reload();
  await expect(filters.getByLabel("Status")).toHaveValue("FAILURE");
  await expect(row).toHaveCount(1);
  await filters.getByLabel("Status").selectOption("SUCCESS");
  await expect(row).toHaveCount(0);
  await page.goBack();
  await expect(filters.getByLabel("Status")).toHaveValue("FAILURE");
  await row.getByRole("link", { name: `Job ${id}` }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}$`));
});

test("a job page follows per-host progress live until the job ends", async ({ page, request }) => {
  const cluster = await createCluster(request);
  const sched = await startFakeScheduler(`127.0.0.1:${E2E.grpcPort}`, unique("sched"), cluster.id);
  try {
    await signInAsRoot(page);
    await page.goto("/jobs/new");
    const form = page.getByRole("form", { name: "Create preheat" });
    await form.getByLabel("File").check();
    await form.getByLabel("URLs").fill("https://origin.example/live.bin");
    await form.getByLabel(cluster.name).check();
    await form.getByRole("button", { name: "Create preheat" }).click();
    await expect(page).toHaveURL(/\/jobs\/\d+$/);

    const job = await sched.nextJob(0);
    const task = {
      url: "https://origin.example/live.bin",
      hostname: "seed-a",
      ip: "10.0.0.9",
      host_type: "seed",
      state: "RUNNING",
      finished_bytes: 1000,
      content_length: 4000,
      description: "",
    };
    await sched.report(job, JobState.JOB_STATE_RUNNING, { tasks: [task] });
    const part = page.getByRole("region", { name: `Part of scheduler cluster ${cluster.id}` });
    await expect(part).toContainText(sched.hostname);
    const host = part.getByRole("row", { name: /seed-a/ });
    await expect(host).toContainText("25% of 4,000 B");

    const done = { ...task, state: "SUCCESS", finished_bytes: 4000 };
    const success_tasks = [{ url: task.url, hostname: "seed-a", ip: "10.0.0.9" }];
    await sched.report(job, JobState.JOB_STATE_SUCCESS, { success_tasks, tasks: [done] });
    await expect(host).toContainText("100% of 4,000 B");
    await expect(page.getByRole("region", { name: /Preheat/ }).getByText("SUCCESS")).toBeVisible();
  } finally {
    sched.die();
  }
});
