"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "~/trpc/react";

import { ErrorAlert } from "../ui/error-alert";
import { Modal } from "../ui/modal";

/** AssignRolesForm picks the roles a user holds, starting from the ones held now. */
function AssignRolesForm({
  user,
  onDone,
  onClose,
}: {
  user: { id: number; name: string; roles: string[] };
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const roles = useQuery(trpc.roles.list.queryOptions({ perPage: 100 }));
  const [picked, setPicked] = useState<Set<string>>(() => new Set(user.roles));
  const assign = useMutation(
    trpc.roles.assign.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries(trpc.users.pathFilter());
        onDone(`${user.name} now holds: ${result.roles.join(", ") || "no roles"}.`);
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const roleIds = (roles.data?.items ?? []).filter((r) => picked.has(r.name)).map((r) => r.id);
    assign.mutate({ userId: user.id, roleIds });
  };
  const toggle = (name: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(name);
    else next.delete(name);
    setPicked(next);
  };
  return (
    <form onSubmit={submit} aria-label="Assign roles">
      <ErrorAlert error={roles.error} />
      <fieldset className="stack-sm">
        <legend>Roles</legend>
        {(roles.data?.items ?? []).map((r) => (
          <label key={r.id} className="check">
            <input
              type="checkbox"
              checked={picked.has(r.name)}
              onChange={(e) => toggle(r.name, e.target.checked)}
            />
            {r.name}
            <span className="muted"> — {r.description || "custom role"}</span>
          </label>
        ))}
      </fieldset>
      <ErrorAlert error={assign.error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" disabled={assign.isPending || !roles.data}>
          Save roles
        </button>
      </div>
    </form>
  );
}

/** AssignRolesDialog replaces the roles a user holds. */
export function AssignRolesDialog({
  user,
  onDone,
  onClose,
}: {
  user: { id: number; name: string; roles: string[] } | null;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  return (
    <Modal open={user !== null} title={`Roles of ${user?.name ?? ""}`} onClose={onClose}>
      {user ? (
        <AssignRolesForm key={user.id} user={user} onDone={onDone} onClose={onClose} />
      ) : null}
    </Modal>
  );
}
