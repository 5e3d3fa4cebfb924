"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { useTRPC } from "~/trpc/react";

import { AppShell } from "../app-shell";
import type { Inputs } from "../types";
import { ErrorAlert } from "../ui/error-alert";
import { formatTime } from "../ui/format";
import { Pager } from "../ui/pager";
import { useCan } from "../ui/permissions";
import { pageOf, useQueryParams } from "../ui/query-params";
import { JOB_LIVE_MS, JobStateBadge, jobSummary, TYPE_LABEL } from "./job-state";

type JobsQuery = Inputs["jobs"]["list"];

const PER_PAGE = 20;
const STATES = ["PENDING", "SUCCESS", "FAILURE"] as const;

/** queryOf reads the job filters from the URL; unknown values are ignored. */
function queryOf(params: URLSearchParams): JobsQuery {
  const type = params.get("type") ?? "";
  const state = STATES.find((s) => s === params.get("state"));
  return {
    type: type in TYPE_LABEL ? type : undefined,
    state,
    page: pageOf(params),
    perPage: PER_PAGE,
  };
}

/** JobsPage lists jobs newest first with status badges; filters and page live in the URL. */
export function JobsPage() {
  const trpc = useTRPC();
  const can = useCan();
  const [params, setParams] = useQueryParams();
  const query = queryOf(params);
  const jobs = useQuery({
    ...trpc.jobs.list.queryOptions(query),
    refetchInterval: (q) =>
      q.state.data?.items.some((j) => j.state === "PENDING") ? JOB_LIVE_MS : false,
  });
  const actions = can("jobs", "write") ? (
    <Link className="button" href="/jobs/new">
      New preheat
    </Link>
  ) : null;
  return (
    <AppShell title="Jobs" actions={actions}>
      <div className="filters" role="search" aria-label="Filter jobs">
        <div className="field">
          <label htmlFor="job-type">Type</label>
          <select
            id="job-type"
            value={query.type ?? ""}
            onChange={(e) => setParams({ type: e.target.value })}
          >
            <option value="">All</option>
            {Object.entries(TYPE_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="job-state">Status</label>
          <select
            id="job-state"
            value={query.state ?? ""}
            onChange={(e) => setParams({ state: e.target.value })}
          >
            <option value="">All</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorAlert error={jobs.error} />
      <table aria-label="Jobs">
        <thead>
          <tr>
            <th>ID</th>
            <th>Type</th>
            <th>What</th>
            <th>Description</th>
            <th>Status</th>
            <th>Clusters</th>
            <th>Created</th>
            <th>Finished</th>
          </tr>
        </thead>
        <tbody>
          {jobs.data?.items.length === 0 ? (
            <tr>
              <td colSpan={8} className="muted">
                No jobs match these filters.
              </td>
            </tr>
          ) : null}
          {(jobs.data?.items ?? []).map((j) => (
            <tr key={j.id}>
              <td>
                <Link href={`/jobs/${j.id}`}>Job {j.id}</Link>
              </td>
              <td>{TYPE_LABEL[j.type] ?? j.type}</td>
              <td className="detail">
                <code>{jobSummary(j)}</code>
              </td>
              <td>{j.bio || "—"}</td>
              <td>
                <JobStateBadge state={j.state} />
              </td>
              <td>{j.schedulerClusterIds.join(", ")}</td>
              <td>{formatTime(j.createdAt)}</td>
              <td>{formatTime(j.finishedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {jobs.data ? (
        <Pager
          label="Jobs"
          page={pageOf(params)}
          perPage={PER_PAGE}
          total={jobs.data.total}
          onPage={(p) => setParams({ page: String(p) })}
        />
      ) : null}
    </AppShell>
  );
}
