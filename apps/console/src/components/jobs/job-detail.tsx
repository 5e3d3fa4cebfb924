"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Fragment } from "react";

import { useTRPC } from "~/trpc/react";

import { AppShell } from "../app-shell";
import { ErrorAlert } from "../ui/error-alert";
import { formatTime } from "../ui/format";
import { JobPart } from "./job-parts";
import { JOB_LIVE_MS, JobStateBadge, TYPE_LABEL } from "./job-state";

/** ARG_LABELS are the args shown, in order, with their labels. */
const ARG_LABELS: Array<[string, string]> = [
  ["type", "Preheat type"],
  ["url", "URL"],
  ["urls", "URLs"],
  ["task_id", "Task ID"],
  ["platform", "Platform"],
  ["scope", "Scope"],
  ["ips", "IPs"],
  ["count", "Count"],
  ["percentage", "Percentage"],
  ["tag", "Tag"],
  ["application", "Application"],
  ["filtered_query_params", "Filtered query params"],
  ["headers", "Headers"],
  ["username", "Registry username"],
];

/** argText renders one arg value for reading. */
function argText(value: unknown): string {
  if (Array.isArray(value)) return value.join("\n");
  if (value && typeof value === "object")
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join("\n");
  return String(value);
}

/** JobDetail shows one job, refreshed every JOB_LIVE_MS while it is PENDING. */
export function JobDetail({ id }: { id: number }) {
  const trpc = useTRPC();
  const job = useQuery({
    ...trpc.jobs.get.queryOptions({ id }),
    refetchInterval: (q) => (q.state.data?.state === "PENDING" ? JOB_LIVE_MS : false),
  });
  const j = job.data;
  const shown = j
    ? ARG_LABELS.filter(([k]) => j.args[k] !== undefined && argText(j.args[k]) !== "")
    : [];
  return (
    <AppShell title={`Job ${id}`}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/jobs">Jobs</Link> › <span aria-current="page">Job {id}</span>
      </nav>
      <ErrorAlert error={job.error} />
      {j ? (
        <div className="stack">
          <section className="card" aria-labelledby="job-heading">
            <h2 id="job-heading">
              {TYPE_LABEL[j.type] ?? j.type} <JobStateBadge state={j.state} />
            </h2>
            <dl className="facts">
              <dt>Description</dt>
              <dd>{j.bio || "—"}</dd>
              {shown.map(([k, label]) => (
                <Fragment key={k}>
                  <dt>{label}</dt>
                  <dd className="mono" style={{ whiteSpace: "pre-line" }}>
                    {argText(j.args[k])}
                  </dd>
                </Fragment>
              ))}
              <dt>Scheduler clusters</dt>
              <dd>{j.schedulerClusterIds.join(", ") || "—"}</dd>
              <dt>Created</dt>
              <dd>{formatTime(j.createdAt)}</dd>
              <dt>Finished</dt>
              <dd>{formatTime(j.finishedAt)}</dd>
            </dl>
          </section>
          {(j.result?.job_states ?? []).map((part) => (
            <JobPart key={part.task_uuid} part={part} />
          ))}
        </div>
      ) : null}
    </AppShell>
  );
}
