"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { useTRPC } from "~/trpc/react";

import { ErrorAlert } from "../ui/error-alert";
import { PreheatTargetFields } from "./preheat-target-fields";
import { initialPreheat, requestOf, type PreheatValues } from "./preheat-values";

/** PLATFORMS are the image platforms offered; the server accepts any os/arch[/variant]. */
const PLATFORMS = ["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/ppc64le", "linux/s390x"];

/** PreheatForm creates a file or image preheat and opens the new job's page. */
export function PreheatForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<PreheatValues>(initialPreheat);
  const [formError, setFormError] = useState<Error | null>(null);
  const clusters = useQuery(trpc.schedulerClusters.list.queryOptions());
  const create = useMutation(
    trpc.jobs.create.mutationOptions({
      onSuccess: async (job) => {
        await queryClient.invalidateQueries(trpc.jobs.pathFilter());
        router.push(`/jobs/${job.id}`);
      },
    }),
  );
  const set = (patch: Partial<PreheatValues>) => setValues((v) => ({ ...v, ...patch }));
  const text = (key: keyof PreheatValues) => ({
    value: String(values[key]),
    onChange: (e: { target: { value: string } }) => set({ [key]: e.target.value }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const request = requestOf(values);
    setFormError(request instanceof Error ? request : null);
    if (!(request instanceof Error)) create.mutate(request);
  };

  return (
    <form className="stack" aria-label="Create preheat" onSubmit={submit} noValidate>
      <fieldset className="card stack-sm">
        <legend>What to preheat</legend>
        <div className="inline-checks">
          <label className="check">
            <input
              type="radio"
              name="kind"
              checked={values.kind === "image"}
              onChange={() => set({ kind: "image" })}
            />
            Image
          </label>
          <label className="check">
            <input
              type="radio"
              name="kind"
              checked={values.kind === "file"}
              onChange={() => set({ kind: "file" })}
            />
            File
          </label>
        </div>
        {values.kind === "image" ? (
          <div className="field-grid">
            <div className="field">
              <label htmlFor="preheat-url">Manifest URL</label>
              <input
                id="preheat-url"
                placeholder="https://registry.example/v2/library/nginx/manifests/1.27"
                {...text("url")}
              />
              <p className="hint">The config and every layer blob of the platform are preheated.</p>
            </div>
            <div className="field">
              <label htmlFor="preheat-platform">Platform</label>
              <select id="preheat-platform" {...text("platform")}>
                {PLATFORMS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="preheat-username">Registry username</label>
              <input id="preheat-username" autoComplete="off" {...text("username")} />
            </div>
            <div className="field">
              <label htmlFor="preheat-password">Registry password</label>
              <input
                id="preheat-password"
                type="password"
                autoComplete="new-password"
                {...text("password")}
              />
              <p className="hint">Stored encrypted, never shown again.</p>
            </div>
          </div>
        ) : (
          <div className="field">
            <label htmlFor="preheat-urls">URLs</label>
            <textarea
              id="preheat-urls"
              rows={3}
              placeholder="One http:// or https:// URL per line"
              {...text("urls")}
            />
          </div>
        )}
        <div className="field">
          <label htmlFor="preheat-headers">Headers</label>
          <textarea
            id="preheat-headers"
            rows={2}
            placeholder="Authorization: Bearer …"
            {...text("headers")}
          />
          <p className="hint">
            One &quot;Name: value&quot; per line, sent to the origin. Values are stored encrypted.
          </p>
        </div>
      </fieldset>
      <PreheatTargetFields values={values} set={set} clusters={clusters.data ?? []} />
      <fieldset className="card">
        <legend>Task and job</legend>
        <div className="field-grid">
          <div className="field">
            <label htmlFor="preheat-bio">Description</label>
            <input id="preheat-bio" {...text("bio")} />
          </div>
          <div className="field">
            <label htmlFor="preheat-tag">Tag</label>
            <input id="preheat-tag" {...text("tag")} />
          </div>
          <div className="field">
            <label htmlFor="preheat-application">Application</label>
            <input id="preheat-application" {...text("application")} />
          </div>
          <div className="field">
            <label htmlFor="preheat-filtered">Filtered query params</label>
            <input
              id="preheat-filtered"
              placeholder="Default: object-store signatures"
              {...text("filteredQueryParams")}
            />
          </div>
          <div className="field">
            <label htmlFor="preheat-timeout">Timeout (minutes)</label>
            <input
              id="preheat-timeout"
              inputMode="numeric"
              placeholder="60"
              {...text("timeoutMinutes")}
            />
          </div>
        </div>
      </fieldset>
      <ErrorAlert error={formError ?? create.error} />
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create preheat"}
        </button>
        <Link href="/jobs">Cancel</Link>
      </div>
    </form>
  );
}
