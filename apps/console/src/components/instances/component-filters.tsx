"use client";

import type { ParamChanges } from "../ui/query-params";

/** ComponentFilters narrows a scheduler or seed peer list by status and hostname, kept in the URL. */
export function ComponentFilters({
  noun,
  params,
  setParams,
}: {
  noun: string;
  params: URLSearchParams;
  setParams: (changes: ParamChanges, opts?: { replace?: boolean }) => void;
}) {
  return (
    <div className="filters" role="search" aria-label={`Filter ${noun}`}>
      <div className="field">
        <label htmlFor="state-filter">Status</label>
        <select
          id="state-filter"
          value={params.get("state") ?? ""}
          onChange={(e) => setParams({ state: e.target.value })}
        >
          <option value="">All</option>
          <option value="active">Active</option>
          <option value="inactive">Inactive</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="hostname-filter">Hostname</label>
        <input
          id="hostname-filter"
          type="search"
          defaultValue={params.get("hostname") ?? ""}
          onChange={(e) => setParams({ hostname: e.target.value }, { replace: true })}
        />
      </div>
    </div>
  );
}

/** stateOf reads the status filter from the query string. */
export function stateOf(params: URLSearchParams): "active" | "inactive" | undefined {
  const state = params.get("state");
  return state === "active" || state === "inactive" ? state : undefined;
}
