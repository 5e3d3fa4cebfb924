"use client";

import Link from "next/link";
import { useState, type FormEvent, type ReactNode } from "react";

import { errorField, errorMessage, type ErrorLike } from "../ui/error-alert";
import { CLIENT_FIELDS, SCHEDULER_FIELDS } from "./config-fields";
import { ConfigFieldset, type FieldError } from "./config-fieldset";
import { fieldId, type ClusterFormValues } from "./form-values";

type TextKey = "name" | "bio" | "location" | "idc" | "cidrs" | "hostnames";

/** TEXT_FIELDS are the information and scope inputs: label, help and the error path they own. */
const TEXT_FIELDS: Record<TextKey, { label: string; hint: string; path: string; lines?: boolean }> =
  {
    name: { label: "Name", hint: "Letters, digits, '.', '_' or '-'; up to 256.", path: "name" },
    bio: { label: "Description", hint: "Up to 1,024 characters.", path: "bio" },
    location: {
      label: "Location",
      hint: "A '|'-separated hierarchy such as country|province|city.",
      path: "scopes.location",
    },
    idc: { label: "IDC", hint: "Data centres separated by '|'.", path: "scopes.idc" },
    cidrs: {
      label: "CIDRs",
      hint: "One network per line, such as 10.0.0.0/8.",
      path: "scopes.cidrs",
      lines: true,
    },
    hostnames: {
      label: "Hostnames",
      hint: "One regular expression per line, matched against host names.",
      path: "scopes.hostnames",
      lines: true,
    },
  };

/** ClusterForm creates or edits a scheduler cluster; the server's validation message is shown by the field it names. */
export function ClusterForm({
  title,
  initial,
  lockDefault,
  submitLabel,
  pending,
  error,
  cancelHref,
  onSubmit,
}: {
  title: string;
  initial: ClusterFormValues;
  lockDefault: boolean;
  submitLabel: string;
  pending: boolean;
  error: ErrorLike | null;
  cancelHref: string;
  onSubmit: (values: ClusterFormValues) => void;
}) {
  const [values, setValues] = useState(initial);
  const message = errorMessage(error);
  const field = errorField(message);
  const fieldError: FieldError | null = message && field ? { field, message } : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(values);
  };
  const text = (key: TextKey): ReactNode => {
    const spec = TEXT_FIELDS[key];
    const id = fieldId(spec.path);
    const invalid = fieldError?.field === spec.path;
    const common = {
      id,
      name: spec.path,
      value: values[key],
      "aria-invalid": invalid || undefined,
      "aria-describedby": invalid ? `${id}-error ${id}-hint` : `${id}-hint`,
    };
    return (
      <div className="field">
        <label htmlFor={id}>{spec.label}</label>
        {spec.lines ? (
          <textarea
            {...common}
            rows={3}
            onChange={(e) => setValues({ ...values, [key]: e.target.value })}
          />
        ) : (
          <input {...common} onChange={(e) => setValues({ ...values, [key]: e.target.value })} />
        )}
        {invalid ? (
          <p id={`${id}-error`} className="field-error">
            {fieldError.message}
          </p>
        ) : null}
        <p id={`${id}-hint`} className="hint">
          {spec.hint}
        </p>
      </div>
    );
  };

  return (
    <form className="stack" onSubmit={submit} aria-label={title} noValidate>
      <fieldset className="card form-section">
        <legend>Information</legend>
        <div className="field-grid">
          {text("name")}
          {text("bio")}
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={values.isDefault}
            disabled={lockDefault}
            onChange={(e) => setValues({ ...values, isDefault: e.target.checked })}
          />
          Default cluster
        </label>
        <p className="hint">
          {lockDefault
            ? "This is the default cluster; make another cluster the default to change it."
            : "Hosts that match no cluster's scopes use the default cluster."}
        </p>
      </fieldset>
      <fieldset className="card form-section">
        <legend>Scopes</legend>
        <div className="field-grid">
          {text("location")}
          {text("idc")}
          {text("cidrs")}
          {text("hostnames")}
        </div>
      </fieldset>
      <ConfigFieldset
        legend="Scheduler config"
        prefix="config"
        fields={SCHEDULER_FIELDS}
        values={values.config}
        error={fieldError}
        onChange={(key, v) => setValues({ ...values, config: { ...values.config, [key]: v } })}
      />
      <ConfigFieldset
        legend="Client config"
        prefix="clientConfig"
        fields={CLIENT_FIELDS}
        values={values.clientConfig}
        error={fieldError}
        onChange={(key, v) =>
          setValues({ ...values, clientConfig: { ...values.clientConfig, [key]: v } })
        }
      />
      <div className="form-footer">
        {message ? (
          <p role="alert" className="error">
            {message}
          </p>
        ) : null}
        <div className="actions">
          <Link className="button secondary" href={cancelHref}>
            Cancel
          </Link>
          <button type="submit" disabled={pending}>
            {pending ? "Saving…" : submitLabel}
          </button>
        </div>
      </div>
    </form>
  );
}
