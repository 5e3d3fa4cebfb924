"use client";

import type { Narrowing, PreheatScope, PreheatValues } from "./preheat-values";

/** SCOPES are the preheat scopes with their labels. */
const SCOPES: Array<{ value: PreheatScope; label: string; help: string }> = [
  {
    value: "single_seed_peer",
    label: "Single seed peer",
    help: "One seed peer per URL fetches it from the origin.",
  },
  {
    value: "all_seed_peers",
    label: "All seed peers",
    help: "Every seed peer of the cluster fetches every URL.",
  },
  {
    value: "all_peers",
    label: "All peers",
    help: "Every peer the cluster knows downloads every URL.",
  },
];

/** NARROWINGS narrow the hosts of an "all" scope: IPs win over count, count over percentage. */
const NARROWINGS: Array<{ value: Narrowing; label: string }> = [
  { value: "all", label: "All hosts" },
  { value: "ips", label: "Only these IPs" },
  { value: "count", label: "The first N hosts" },
  { value: "percentage", label: "A percentage of hosts" },
];

/** PreheatTargetFields edits where a preheat goes: scope, narrowing and scheduler clusters. */
export function PreheatTargetFields({
  values,
  set,
  clusters,
}: {
  values: PreheatValues;
  set: (patch: Partial<PreheatValues>) => void;
  clusters: Array<{ id: number; name: string }>;
}) {
  const toggle = (id: number, on: boolean) =>
    set({
      clusterIds: on ? [...values.clusterIds, id] : values.clusterIds.filter((c) => c !== id),
    });
  return (
    <>
      <fieldset className="card stack-sm">
        <legend>Scope</legend>
        {SCOPES.map((s) => (
          <label key={s.value} className="check">
            <input
              type="radio"
              name="scope"
              checked={values.scope === s.value}
              onChange={() => set({ scope: s.value })}
            />
            {s.label}
            <span className="muted"> — {s.help}</span>
          </label>
        ))}
        {values.scope !== "single_seed_peer" ? (
          <div className="field-grid">
            <div className="field">
              <label htmlFor="preheat-narrowing">Hosts</label>
              <select
                id="preheat-narrowing"
                value={values.narrowing}
                onChange={(e) => set({ narrowing: e.target.value as Narrowing })}
              >
                {NARROWINGS.map((n) => (
                  <option key={n.value} value={n.value}>
                    {n.label}
                  </option>
                ))}
              </select>
            </div>
            {values.narrowing === "ips" ? (
              <div className="field">
                <label htmlFor="preheat-ips">IPs</label>
                <input
                  id="preheat-ips"
                  value={values.ips}
                  placeholder="10.0.0.1, 10.0.0.2"
                  onChange={(e) => set({ ips: e.target.value })}
                />
              </div>
            ) : null}
            {values.narrowing === "count" ? (
              <div className="field">
                <label htmlFor="preheat-count">Count (1-200)</label>
                <input
                  id="preheat-count"
                  inputMode="numeric"
                  value={values.count}
                  onChange={(e) => set({ count: e.target.value })}
                />
              </div>
            ) : null}
            {values.narrowing === "percentage" ? (
              <div className="field">
                <label htmlFor="preheat-percentage">Percentage (1-100)</label>
                <input
                  id="preheat-percentage"
                  inputMode="numeric"
                  value={values.percentage}
                  onChange={(e) => set({ percentage: e.target.value })}
                />
              </div>
            ) : null}
          </div>
        ) : null}
      </fieldset>
      <fieldset className="card inline-checks">
        <legend>Scheduler clusters</legend>
        <p className="hint">None selected means every cluster with an active scheduler.</p>
        {clusters.map((c) => (
          <label key={c.id} className="check">
            <input
              type="checkbox"
              checked={values.clusterIds.includes(c.id)}
              onChange={(e) => toggle(c.id, e.target.checked)}
            />
            {c.name}
          </label>
        ))}
      </fieldset>
    </>
  );
}
