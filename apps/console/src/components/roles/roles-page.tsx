"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "~/trpc/react";

import { AppShell } from "../app-shell";
import type { Outputs } from "../types";
import { ErrorAlert } from "../ui/error-alert";
import { ConfirmDialog, Modal } from "../ui/modal";
import { useCan } from "../ui/permissions";
import { summaryOf } from "./resources";
import { RoleForm } from "./role-form";

type Role = Outputs["roles"]["list"]["items"][number];

const EMPTY_ROLE = { name: "", description: "", permissions: [] };

/** RolesPage lists roles; administrators create, edit and delete custom ones. */
export function RolesPage() {
  const trpc = useTRPC();
  const can = useCan();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState("");
  const [formKey, setFormKey] = useState(0);
  const [editing, setEditing] = useState<Role | null>(null);
  const [deleting, setDeleting] = useState<Role | null>(null);
  const roles = useQuery(trpc.roles.list.queryOptions({ perPage: 100 }));
  const refresh = () => queryClient.invalidateQueries(trpc.roles.pathFilter());
  const create = useMutation(
    trpc.roles.create.mutationOptions({
      onSuccess: async (role) => {
        setNotice(`Role ${role.name} created.`);
        setFormKey(formKey + 1);
        await refresh();
      },
    }),
  );
  const update = useMutation(
    trpc.roles.update.mutationOptions({
      onSuccess: async (role) => {
        setNotice(`Role ${role.name} saved.`);
        setEditing(null);
        await refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.roles.delete.mutationOptions({
      onSuccess: async () => {
        setNotice(`Role ${deleting?.name ?? ""} deleted.`);
        setDeleting(null);
        await refresh();
      },
    }),
  );
  const writable = can("roles", "write");

  return (
    <AppShell title="Roles">
      {writable ? (
        <section className="card" aria-labelledby="create-role-heading">
          <h2 id="create-role-heading">Create role</h2>
          <RoleForm
            key={formKey}
            title="Create role"
            initial={EMPTY_ROLE}
            nameEditable
            submitLabel="Create role"
            pending={create.isPending}
            error={create.error}
            onSubmit={(v) => create.mutate(v)}
          />
        </section>
      ) : null}
      <p role="status" className="notice">
        {notice}
      </p>
      <ErrorAlert error={roles.error} />
      <table aria-label="Roles">
        <thead>
          <tr>
            <th>Name</th>
            <th>Description</th>
            <th>Type</th>
            <th>Permissions</th>
            {writable ? <th>Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {(roles.data?.items ?? []).map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              <td>{r.description}</td>
              <td>{r.builtIn ? <span className="badge">built-in</span> : "custom"}</td>
              <td>{summaryOf(r.permissions)}</td>
              {writable ? (
                <td>
                  <div className="row-actions">
                    {r.builtIn ? null : (
                      <>
                        <button
                          type="button"
                          className="secondary"
                          onClick={() => {
                            update.reset();
                            setEditing(r);
                          }}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          className="secondary danger-text"
                          onClick={() => {
                            remove.reset();
                            setDeleting(r);
                          }}
                        >
                          Delete
                        </button>
                      </>
                    )}
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <Modal
        open={editing !== null}
        title={`Edit role ${editing?.name ?? ""}`}
        onClose={() => setEditing(null)}
      >
        {editing ? (
          <RoleForm
            key={editing.id}
            title="Edit role"
            initial={editing}
            nameEditable={false}
            submitLabel="Save role"
            pending={update.isPending}
            error={update.error}
            onSubmit={(v) =>
              update.mutate({
                id: editing.id,
                description: v.description,
                permissions: v.permissions,
              })
            }
            onCancel={() => setEditing(null)}
          />
        ) : null}
      </Modal>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete role ${deleting?.name ?? ""}?`}
        message="Users holding this role lose its permissions."
        confirmLabel="Delete"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onCancel={() => setDeleting(null)}
      />
    </AppShell>
  );
}
