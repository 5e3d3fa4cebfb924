"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { useTRPC } from "~/trpc/react";

import { AppShell } from "../app-shell";
import { ErrorAlert } from "../ui/error-alert";
import { useCan } from "../ui/permissions";
import { DeleteTaskDialog } from "./delete-task-dialog";
import { TaskPeers } from "./task-peers";

/** SearchValues are the search form's fields. */
interface SearchValues {
  by: "url" | "id";
  url: string;
  tag: string;
  application: string;
  filteredQueryParams: string;
  taskId: string;
}

const EMPTY: SearchValues = {
  by: "url",
  url: "",
  tag: "",
  application: "",
  filteredQueryParams: "",
  taskId: "",
};

/** TasksPage finds which peers cache a task (by URL or task id) and deletes its cache. */
export function TasksPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const can = useCan();
  const [values, setValues] = useState<SearchValues>(EMPTY);
  const [deleting, setDeleting] = useState(false);
  const search = useMutation(trpc.tasks.search.mutationOptions());
  const remove = useMutation(
    trpc.tasks.delete.mutationOptions({ onSuccess: (job) => router.push(`/jobs/${job.id}`) }),
  );
  const text = (key: Exclude<keyof SearchValues, "by">) => ({
    value: values[key],
    onChange: (e: { target: { value: string } }) => setValues({ ...values, [key]: e.target.value }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const filtered = values.filteredQueryParams
      .split(/[\s,&]+/)
      .filter(Boolean)
      .join("&");
    search.mutate(
      values.by === "id"
        ? { taskId: values.taskId.trim() }
        : {
            url: values.url.trim(),
            tag: values.tag.trim(),
            application: values.application.trim(),
            filteredQueryParams: filtered,
          },
    );
  };
  const found = search.data;

  return (
    <AppShell title="Tasks">
      <form className="card stack-sm" aria-label="Search task" onSubmit={submit} noValidate>
        <div className="inline-checks">
          <label className="check">
            <input
              type="radio"
              name="by"
              checked={values.by === "url"}
              onChange={() => setValues({ ...values, by: "url" })}
            />
            By URL
          </label>
          <label className="check">
            <input
              type="radio"
              name="by"
              checked={values.by === "id"}
              onChange={() => setValues({ ...values, by: "id" })}
            />
            By task ID
          </label>
        </div>
        {values.by === "url" ? (
          <div className="field-grid">
            <div className="field">
              <label htmlFor="task-url">URL</label>
              <input id="task-url" {...text("url")} />
            </div>
            <div className="field">
              <label htmlFor="task-tag">Tag</label>
              <input id="task-tag" {...text("tag")} />
            </div>
            <div className="field">
              <label htmlFor="task-application">Application</label>
              <input id="task-application" {...text("application")} />
            </div>
            <div className="field">
              <label htmlFor="task-filtered">Filtered query params</label>
              <input
                id="task-filtered"
                placeholder="Default: object-store signatures"
                {...text("filteredQueryParams")}
              />
            </div>
          </div>
        ) : (
          <div className="field">
            <label htmlFor="task-id">Task ID</label>
            <input id="task-id" className="mono" {...text("taskId")} />
          </div>
        )}
        <ErrorAlert error={search.error} />
        <div className="actions">
          <button type="submit" disabled={search.isPending}>
            {search.isPending ? "Searching…" : "Search"}
          </button>
        </div>
      </form>
      {found ? (
        <div className="stack">
          <TaskPeers search={found} />
          {can("tasks", "write") ? (
            <div className="actions">
              <button
                type="button"
                className="danger"
                onClick={() => {
                  remove.reset();
                  setDeleting(true);
                }}
              >
                Delete cache
              </button>
            </div>
          ) : null}
          <DeleteTaskDialog
            key={found.taskId}
            taskId={found.taskId}
            open={deleting}
            pending={remove.isPending}
            error={remove.error}
            onConfirm={() => remove.mutate({ taskId: found.taskId })}
            onCancel={() => setDeleting(false)}
          />
        </div>
      ) : null}
    </AppShell>
  );
}
