import type { Database } from "@df/db";
import { and, eq, schedulers, seedPeers } from "@df/db";
import { notFound } from "@df/errors";
import type { Logger } from "@df/logger";

/** AppliedReport is what a component reports after applying (or failing to apply) a revision. */
export interface AppliedReport {
  component: "scheduler" | "seed-peer" | "dfdaemon";
  hostname: string;
  ip: string;
  schedulerClusterId: number;
  revision: number;
  error?: string | undefined;
}

/**
 * recordApplied stores the revision a scheduler or seed peer now runs. A failed apply keeps the
 * previous revision and is logged; ordinary dfdaemons have no row, so their reports are only logged.
 */
export async function recordApplied(
  deps: { db: Database; log: Logger },
  r: AppliedReport,
): Promise<void> {
  const fields = { component: r.component, hostname: r.hostname, ip: r.ip, revision: r.revision };
  if (r.error) {
    deps.log.warn("component could not apply config", { ...fields, error: r.error });
    return;
  }
  if (r.component === "dfdaemon") {
    deps.log.debug("dfdaemon applied config", fields);
    return;
  }
  const done =
    r.component === "scheduler"
      ? await deps.db
          .update(schedulers)
          .set({ appliedRevision: r.revision })
          .where(
            and(
              eq(schedulers.hostname, r.hostname),
              eq(schedulers.ip, r.ip),
              eq(schedulers.schedulerClusterId, r.schedulerClusterId),
            ),
          )
          .returning({ id: schedulers.id })
      : await deps.db
          .update(seedPeers)
          .set({ appliedRevision: r.revision })
          .where(and(eq(seedPeers.hostname, r.hostname), eq(seedPeers.ip, r.ip)))
          .returning({ id: seedPeers.id });
  if (done.length === 0) throw notFound(r.component, `${r.hostname}/${r.ip}`);
}
