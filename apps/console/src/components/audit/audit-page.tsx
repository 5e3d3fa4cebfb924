"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "~/trpc/react";

import { AppShell } from "../app-shell";
import type { Inputs } from "../types";
import { ErrorAlert } from "../ui/error-alert";
import { formatTime } from "../ui/format";
import { Pager } from "../ui/pager";
import { pageOf, useQueryParams } from "../ui/query-params";
import { AuditFilters, FILTER_KEYS } from "./audit-filters";

type AuditQuery = Inputs["audits"]["list"];

const PER_PAGE = 20;

/** detailText summarises an audit row: the error of a failure, else the (redacted) input. */
function detailText(detail: Record<string, unknown>): string {
  const error = detail.error as { code?: unknown; message?: unknown } | undefined;
  if (error) return `${String(error.code)}: ${String(error.message)}`;
  const text = JSON.stringify(detail.input ?? {});
  return text.length > 140 ? `${text.slice(0, 140)}…` : text;
}

/** queryOf reads the audit filters from the URL; invalid enum values are ignored. */
function queryOf(params: URLSearchParams): AuditQuery {
  const q: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const v = params.get(key);
    if (v) q[key] = v;
  }
  const actorType = ["USER", "PAT", "UNKNOWN"].includes(q.actorType ?? "")
    ? q.actorType
    : undefined;
  const state = ["SUCCESS", "FAILURE"].includes(q.state ?? "") ? q.state : undefined;
  return {
    ...q,
    actorType: actorType as AuditQuery["actorType"],
    state: state as AuditQuery["state"],
    page: pageOf(params),
    perPage: PER_PAGE,
  };
}

/** AuditPage lists who did what, newest first, with filters kept in the URL. */
export function AuditPage() {
  const trpc = useTRPC();
  const [params, setParams] = useQueryParams();
  const page = pageOf(params);
  const query = queryOf(params);
  const audits = useQuery(trpc.audits.list.queryOptions(query));
  return (
    <AppShell title="Audit log">
      <AuditFilters key={params.toString()} params={params} setParams={setParams} />
      <ErrorAlert error={audits.error} />
      <table aria-label="Audit log">
        <thead>
          <tr>
            <th>Time</th>
            <th>Actor</th>
            <th>Actor type</th>
            <th>Action</th>
            <th>Target</th>
            <th>Status</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {audits.data?.items.length === 0 ? (
            <tr>
              <td colSpan={7} className="muted">
                No audit entries match these filters.
              </td>
            </tr>
          ) : null}
          {(audits.data?.items ?? []).map((a) => (
            <tr key={a.id}>
              <td>{formatTime(a.createdAt)}</td>
              <td>{a.actorName}</td>
              <td>{a.actorType}</td>
              <td>
                <code>{a.action}</code>
              </td>
              <td>
                {a.targetType} {a.targetId}
              </td>
              <td>
                <span className={`badge ${a.state === "SUCCESS" ? "ok" : "bad"}`}>{a.state}</span>
              </td>
              <td className="detail">
                <code>{detailText(a.detail)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {audits.data ? (
        <Pager
          label="Audit log"
          page={page}
          perPage={PER_PAGE}
          total={audits.data.total}
          onPage={(p) => setParams({ page: String(p) })}
        />
      ) : null}
    </AppShell>
  );
}
