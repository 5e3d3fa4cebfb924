import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** PARAM is the kernel's free page reporting threshold (virtio-balloon, as on Firecracker VMs). */
const PARAM = "/sys/module/page_reporting/parameters/page_reporting_order";
/** NEVER is an order above any buddy block (MAX_PAGE_ORDER is 10), so nothing is reported. */
const NEVER = "11";

/** PageReporting tells what was done, and undoes it. */
export interface PageReporting {
  /** state is "paused" (by us, until restore), "active" (could not pause) or "absent". */
  state: "paused" | "active" | "absent";
  restore(): void;
}

/**
 * pausePageReporting stops the guest from handing free memory back to the host for the length of
 * a benchmark, when the kernel has free page reporting and we may change it (root). With it on,
 * memory that stayed free for about 2 s is discarded by the host and the next write into it costs
 * 2-3x (measured here: 1 GiB of 1 MiB writes 0.38 s back to back, 0.7-1.2 s after 3 s pauses),
 * so a run that starts a little later than the other side, or lasts a little longer, pays for the
 * VM rather than for its own work. Restored by `restore` and, failing that, at process exit.
 */
export function pausePageReporting(): PageReporting {
  if (!existsSync(PARAM)) return { state: "absent", restore: () => undefined };
  const before = readFileSync(PARAM, "utf8").trim();
  try {
    writeFileSync(PARAM, NEVER);
  } catch {
    return { state: "active", restore: () => undefined };
  }
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off("exit", restore);
    try {
      writeFileSync(PARAM, before);
    } catch (err) {
      process.stderr.write(`could not restore ${PARAM} to ${before}: ${String(err)}\n`);
    }
  };
  process.on("exit", restore);
  return { state: "paused", restore };
}
