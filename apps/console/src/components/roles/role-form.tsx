"use client";

import { useId, useState, type FormEvent } from "react";

import type { Permission } from "../types";
import { ErrorAlert, type ErrorLike } from "../ui/error-alert";
import { grantsOf, permissionsOf, RESOURCE_LABELS, RESOURCES, type Grants } from "./resources";

/** RoleValues is what a role form submits. */
export interface RoleValues {
  name: string;
  description: string;
  permissions: Permission[];
}

/** RoleForm edits a role's name (new roles only), description and read/write per resource. */
export function RoleForm({
  title,
  initial,
  nameEditable,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  title: string;
  initial: RoleValues;
  nameEditable: boolean;
  submitLabel: string;
  pending: boolean;
  error: ErrorLike | null;
  onSubmit: (values: RoleValues) => void;
  onCancel?: () => void;
}) {
  const prefix = useId();
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [grants, setGrants] = useState<Grants>(() => grantsOf(initial.permissions));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ name: name.trim(), description, permissions: permissionsOf(grants) });
  };
  return (
    <form className="stack-sm" aria-label={title} onSubmit={submit} noValidate>
      <div className="field-grid">
        {nameEditable ? (
          <div className="field">
            <label htmlFor={`${prefix}-name`}>Role name</label>
            <input
              id={`${prefix}-name`}
              value={name}
              aria-describedby={`${prefix}-name-hint`}
              onChange={(e) => setName(e.target.value)}
            />
            <p id={`${prefix}-name-hint`} className="hint">
              1 to 64 of a-z, 0-9, &apos;_&apos; or &apos;-&apos;.
            </p>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${prefix}-description`}>Description</label>
          <input
            id={`${prefix}-description`}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
      </div>
      <fieldset>
        <legend>Permissions (write includes read)</legend>
        <div className="perm-grid">
          {RESOURCES.map((resource) => {
            const id = `${prefix}-perm-${resource}`;
            return (
              <div className="perm" key={resource}>
                <label htmlFor={id}>{RESOURCE_LABELS[resource]}</label>
                <select
                  id={id}
                  value={grants[resource] ?? ""}
                  onChange={(e) => {
                    const v = e.target.value;
                    setGrants({
                      ...grants,
                      [resource]: v === "read" || v === "write" ? v : undefined,
                    });
                  }}
                >
                  <option value="">No access</option>
                  <option value="read">Read</option>
                  <option value="write">Write</option>
                </select>
              </div>
            );
          })}
        </div>
      </fieldset>
      <ErrorAlert error={error} />
      <div className="actions">
        {onCancel ? (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </button>
      </div>
    </form>
  );
}
