import { expect, test, type Locator, type Page } from "@playwright/test";

import { startScheduler, startSeedPeer } from "../support/components";
import { apiPost, createCluster, signInAsRoot, unique } from "../support/session";

/** valueOf is the Value cell of a setting in a config table on the cluster page. */
const valueOf = (page: Page, table: string, setting: string): Locator =>
  page
    .getByRole("table", { name: table })
    .getByRole("row", { name: setting })
    .getByRole("cell")
    .nth(1);

/** componentRow is the row of a scheduler or seed peer by hostname. */
const componentRow = (page: Page, table: string, hostname: string): Locator =>
  page.getByRole("table", { name: table }).getByRole("row", { name: new RegExp(hostname) });

test.beforeEach(async ({ page }) => {
  await signInAsRoot(page);
});

test("creates a cluster with scopes and config, shows the values, and edits it to a new revision", async ({
  page,
}) => {
  const name = unique("cl");
  await page.getByRole("link", { name: "Add cluster" }).click();
  await expect(page.getByRole("heading", { name: "New cluster" })).toBeVisible();
  const form = page.getByRole("form", { name: "Create cluster" });
  // Every field shows its key, range and default, and starts at the default.
  const candidate = form.getByLabel("Candidate parent limit");
  await expect(candidate).toHaveValue("3");
  await expect(candidate).toHaveAccessibleDescription(
    /candidate_parent_limit.*Range 1 to 20; default 3\./,
  );
  await expect(form.getByLabel("Piece length")).toHaveAccessibleDescription(/power of two/);
  await expect(form.getByLabel("Download rate limit")).toHaveAccessibleDescription(
    /Range 0 to 1,073,741,824,000 bytes\/s; default 0 bytes\/s\./,
  );

  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Description").fill("e2e cluster");
  await form.getByLabel("Location").fill("cn|zj|hz");
  await form.getByLabel("CIDRs").fill("10.0.0.0/8\n192.168.0.0/16");
  await candidate.fill("5");
  await form.getByLabel("Piece concurrency").fill("16");
  await form.getByRole("button", { name: "Create cluster" }).click();

  await expect(page).toHaveURL(/\/clusters\/\d+$/);
  await expect(page.getByRole("heading", { name: `Cluster ${name}` })).toBeVisible();
  await expect(page.getByText("10.0.0.0/8, 192.168.0.0/16")).toBeVisible();
  await expect(page.getByText("cn|zj|hz")).toBeVisible();
  await expect(valueOf(page, "Scheduler config", "Candidate parent limit")).toHaveText(
    /^5\s*changed$/,
  );
  await expect(valueOf(page, "Scheduler config", "Retry limit")).toHaveText("4");
  await expect(valueOf(page, "Client config", "Piece concurrency")).toHaveText(/^16\s*changed$/);
  const revisions = page.getByRole("table", { name: "Config revisions" });
  await expect(revisions.getByRole("row", { name: /current/ })).toContainText("1");

  await page.getByRole("link", { name: "Edit cluster" }).click();
  const edit = page.getByRole("form", { name: "Edit cluster" });
  await expect(edit.getByLabel("Candidate parent limit")).toHaveValue("5");
  await edit.getByLabel("Retry limit", { exact: true }).fill("7");
  await edit.getByRole("button", { name: "Save changes" }).click();

  await expect(page).toHaveURL(/\/clusters\/\d+$/);
  await expect(valueOf(page, "Scheduler config", "Retry limit")).toHaveText(/^7\s*changed$/);
  await expect(revisions.getByRole("row", { name: /current/ })).toContainText("2");
  await expect(revisions.getByRole("row")).toHaveCount(3);

  await page.getByRole("link", { name: "Clusters" }).first().click();
  await page.getByLabel("Search clusters").fill(name);
  await expect(page).toHaveURL(new RegExp(`search=${name}`));
  const table = page.getByRole("table", { name: "Scheduler clusters" });
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table.getByRole("row", { name: new RegExp(name) })).toContainText("2");
});

test("shows the server's validation message next to the field it names", async ({ page }) => {
  await page.goto("/clusters/new");
  const form = page.getByRole("form", { name: "Create cluster" });
  await form.getByLabel("Name", { exact: true }).fill(unique("bad"));
  await form.getByLabel("Candidate parent limit").fill("50");
  await form.getByRole("button", { name: "Create cluster" }).click();

  await expect(form.getByRole("alert")).toContainText("config.candidate_parent_limit:");
  const field = form.getByLabel("Candidate parent limit");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveAccessibleDescription(/config\.candidate_parent_limit: .*20/);
  await expect(page).toHaveURL(/\/clusters\/new$/);

  await field.fill("3");
  await form.getByLabel("Disk low watermark").fill("95");
  await form.getByRole("button", { name: "Create cluster" }).click();
  await expect(form.getByRole("alert")).toContainText(
    "clientConfig.gc_disk_low_watermark_percent: gc_disk_low_watermark_percent must be below",
  );
  await expect(form.getByLabel("Disk low watermark")).toHaveAttribute("aria-invalid", "true");
  await expect(field).not.toHaveAttribute("aria-invalid");

  await form.getByLabel("Disk low watermark").fill("70");
  await form.getByLabel("CIDRs").fill("not-a-cidr");
  await form.getByRole("button", { name: "Create cluster" }).click();
  await expect(form.getByRole("alert")).toContainText("scopes.cidrs.0: must be a CIDR");
  await expect(form.getByLabel("CIDRs")).toHaveAttribute("aria-invalid", "true");

  await form.getByLabel("CIDRs").fill("");
  await form.getByLabel("Name", { exact: true }).fill("cluster-1");
  await form.getByRole("button", { name: "Create cluster" }).click();
  await expect(form.getByRole("alert")).toHaveText("scheduler cluster cluster-1 already exists");
});

test("shows a cluster's schedulers live: status and the config revision each runs", async ({
  page,
  request,
}) => {
  const cluster = await createCluster(request);
  const scheduler = await startScheduler(unique("sched"), cluster.id);
  try {
    await scheduler.reportApplied(1);
    await page.goto(`/clusters/${cluster.id}`);
    const row = componentRow(page, "Schedulers", scheduler.hostname);
    await expect(row.getByText("active", { exact: true })).toBeVisible();
    await expect(row).toContainText("1 of 1");
    await expect(row.getByText("up to date")).toBeVisible();

    // A config change elsewhere makes the scheduler outdated until it reports the new revision.
    await apiPost(
      request,
      `/api/v1/scheduler-clusters/${cluster.id}`,
      { config: { retry_limit: 9 } },
      "PATCH",
    );
    await expect(row).toContainText("1 of 2");
    await expect(row.getByText("outdated")).toBeVisible();
    await scheduler.reportApplied(2);
    await expect(row).toContainText("2 of 2");
    await expect(row.getByText("up to date")).toBeVisible();

    await page.getByRole("link", { name: "Schedulers" }).click();
    await page.getByLabel("Hostname").fill(scheduler.hostname);
    const listed = componentRow(page, "Schedulers", scheduler.hostname);
    await expect(listed.getByRole("link", { name: cluster.name })).toBeVisible();
    await expect(listed.getByText("active", { exact: true })).toBeVisible();

    await scheduler.stop();
    await expect(listed.getByText("inactive", { exact: true })).toBeVisible();
    await page.getByLabel("Status").selectOption("active");
    await expect(page).toHaveURL(/state=active/);
    await expect(page.getByRole("table", { name: "Schedulers" })).toContainText("No schedulers.");
  } finally {
    await scheduler.stop().catch(() => undefined);
  }
});

test("shows seed peers of the default cluster and on the seed peers page, live", async ({
  page,
}) => {
  const seedPeer = await startSeedPeer(unique("seed"), 1, 1);
  try {
    await seedPeer.reportApplied(1);
    await page.getByRole("link", { name: "cluster-1" }).click();
    const row = componentRow(page, "Seed peers", seedPeer.hostname);
    await expect(row.getByText("active", { exact: true })).toBeVisible();
    await expect(row).toContainText("4000 / 4001");

    await page.getByRole("link", { name: "Seed peers" }).click();
    await page.getByLabel("Hostname").fill(seedPeer.hostname);
    const listed = componentRow(page, "Seed peers", seedPeer.hostname);
    await expect(listed.getByText("active", { exact: true })).toBeVisible();
    await seedPeer.stop();
    await expect(listed.getByText("inactive", { exact: true })).toBeVisible();
  } finally {
    await seedPeer.stop().catch(() => undefined);
  }
});

test("deletes a non-default cluster after confirmation; the default cluster cannot be deleted", async ({
  page,
  request,
}) => {
  await page.getByRole("link", { name: "cluster-1" }).click();
  await expect(page.getByRole("link", { name: "Edit cluster" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete cluster" })).toHaveCount(0);

  const busy = await createCluster(request);
  const scheduler = await startScheduler(unique("sched"), busy.id);
  try {
    await page.goto(`/clusters/${busy.id}`);
    await page.getByRole("button", { name: "Delete cluster" }).click();
    const refuse = page.getByRole("dialog", { name: `Delete cluster ${busy.name}?` });
    await refuse.getByRole("button", { name: "Delete" }).click();
    await expect(refuse.getByRole("alert")).toContainText("still has 1 scheduler(s)");
    await refuse.getByRole("button", { name: "Cancel" }).click();
    await expect(refuse).toBeHidden();
  } finally {
    await scheduler.stop();
  }

  const cluster = await createCluster(request);
  await page.goto(`/clusters/${cluster.id}`);
  await page.getByRole("button", { name: "Delete cluster" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete cluster ${cluster.name}?` });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("heading", { name: `Cluster ${cluster.name}` })).toBeVisible();

  await page.getByRole("button", { name: "Delete cluster" }).click();
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/$/);
  const table = page.getByRole("table", { name: "Scheduler clusters" });
  await expect(table.getByRole("cell", { name: "cluster-1" })).toBeVisible();
  await expect(table.getByRole("cell", { name: cluster.name })).toHaveCount(0);
});
