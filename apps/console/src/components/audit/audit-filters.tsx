"use client";

import { useState, type FormEvent } from "react";

import type { ParamChanges } from "../ui/query-params";

/** FILTER_KEYS are the audit filters, named as the query string and the server name them. */
export const FILTER_KEYS = [
  "actorType",
  "actorName",
  "action",
  "targetType",
  "state",
  "since",
  "until",
] as const;

type FilterKey = (typeof FILTER_KEYS)[number];

/** ACTIONS are the audited actions offered as suggestions. */
const ACTIONS = [
  "auth.signIn",
  "auth.signOut",
  "users.create",
  "users.setState",
  "users.resetPassword",
  "users.changePassword",
  "roles.create",
  "roles.update",
  "roles.delete",
  "roles.assign",
  "personalAccessTokens.create",
  "personalAccessTokens.revoke",
  "schedulerClusters.create",
  "schedulerClusters.update",
  "schedulerClusters.delete",
];

const TARGET_TYPES = ["auth", "users", "roles", "personal-access-tokens", "scheduler-clusters"];

const pad2 = (n: number) => String(n).padStart(2, "0");

/** localInputOf renders an ISO time for a datetime-local input in the browser's zone. */
function localInputOf(iso: string | null): string {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return "";
  const date = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  return `${date}T${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** isoOf turns a datetime-local value into an ISO time with offset, as the server expects. */
const isoOf = (local: string): string => (local ? new Date(local).toISOString() : "");

/** AuditFilters edits the audit filters; applying them writes them to the URL. */
export function AuditFilters({
  params,
  setParams,
}: {
  params: URLSearchParams;
  setParams: (changes: ParamChanges) => void;
}) {
  const [values, setValues] = useState<Record<FilterKey, string>>(() => ({
    actorType: params.get("actorType") ?? "",
    actorName: params.get("actorName") ?? "",
    action: params.get("action") ?? "",
    targetType: params.get("targetType") ?? "",
    state: params.get("state") ?? "",
    since: localInputOf(params.get("since")),
    until: localInputOf(params.get("until")),
  }));
  const set = (key: FilterKey) => (e: { target: { value: string } }) =>
    setValues({ ...values, [key]: e.target.value });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setParams({
      ...values,
      actorName: values.actorName.trim(),
      action: values.action.trim(),
      since: isoOf(values.since),
      until: isoOf(values.until),
    });
  };
  const clear = () => setParams(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])));

  return (
    <form className="filters card" role="search" aria-label="Filter audit log" onSubmit={apply}>
      <div className="field">
        <label htmlFor="audit-actor-type">Actor type</label>
        <select id="audit-actor-type" value={values.actorType} onChange={set("actorType")}>
          <option value="">Any</option>
          <option value="USER">User</option>
          <option value="PAT">Access token</option>
          <option value="UNKNOWN">Unknown</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-actor-name">Actor name</label>
        <input id="audit-actor-name" value={values.actorName} onChange={set("actorName")} />
      </div>
      <div className="field">
        <label htmlFor="audit-action">Action</label>
        <input
          id="audit-action"
          list="audit-actions"
          value={values.action}
          onChange={set("action")}
        />
        <datalist id="audit-actions">
          {ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor="audit-target-type">Target type</label>
        <select id="audit-target-type" value={values.targetType} onChange={set("targetType")}>
          <option value="">Any</option>
          {TARGET_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-state">Status</label>
        <select id="audit-state" value={values.state} onChange={set("state")}>
          <option value="">Any</option>
          <option value="SUCCESS">Success</option>
          <option value="FAILURE">Failure</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-since">Since</label>
        <input
          id="audit-since"
          type="datetime-local"
          value={values.since}
          onChange={set("since")}
        />
      </div>
      <div className="field">
        <label htmlFor="audit-until">Until</label>
        <input
          id="audit-until"
          type="datetime-local"
          value={values.until}
          onChange={set("until")}
        />
      </div>
      <div className="actions">
        <button type="submit">Apply filters</button>
        <button type="button" className="secondary" onClick={clear}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
