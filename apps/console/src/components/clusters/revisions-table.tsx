"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "~/trpc/react";

import { ErrorAlert } from "../ui/error-alert";
import { formatTime } from "../ui/format";
import { Pager } from "../ui/pager";

const PER_PAGE = 5;

/** RevisionsTable lists a cluster's saved config revisions, newest first. */
export function RevisionsTable({ clusterId, current }: { clusterId: number; current: number }) {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const revisions = useQuery(
    trpc.schedulerClusters.revisions.queryOptions({ id: clusterId, page, perPage: PER_PAGE }),
  );
  return (
    <>
      <ErrorAlert error={revisions.error} />
      <table aria-label="Config revisions">
        <thead>
          <tr>
            <th>Revision</th>
            <th>Saved</th>
            <th>Saved by</th>
          </tr>
        </thead>
        <tbody>
          {(revisions.data?.items ?? []).map((r) => (
            <tr key={r.id}>
              <td>
                {r.revision}{" "}
                {r.revision === current ? <span className="badge">current</span> : null}
              </td>
              <td>{formatTime(r.createdAt)}</td>
              <td>{r.createdBy === null ? "seed" : `user #${r.createdBy}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {revisions.data ? (
        <Pager
          label="Config revisions"
          page={page}
          perPage={PER_PAGE}
          total={revisions.data.total}
          onPage={setPage}
        />
      ) : null}
    </>
  );
}
