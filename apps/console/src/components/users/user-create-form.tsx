"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "~/trpc/react";

import { ErrorAlert } from "../ui/error-alert";
import { useCan } from "../ui/permissions";

/** UserCreateForm creates a user; without roles picked the server gives the guest role. */
export function UserCreateForm({ onCreated }: { onCreated: (name: string) => void }) {
  const trpc = useTRPC();
  const can = useCan();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [roleIds, setRoleIds] = useState<number[]>([]);
  const roles = useQuery({
    ...trpc.roles.list.queryOptions({ perPage: 100 }),
    enabled: can("roles", "read"),
  });
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async (user) => {
        setName("");
        setEmail("");
        setPassword("");
        setRoleIds([]);
        onCreated(user.name);
        await queryClient.invalidateQueries(trpc.users.pathFilter());
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      name: name.trim(),
      password,
      email: email.trim() || undefined,
      roleIds: roleIds.length ? roleIds : undefined,
    });
  };
  const toggle = (id: number, on: boolean) =>
    setRoleIds(on ? [...roleIds, id] : roleIds.filter((r) => r !== id));

  return (
    <form className="card stack-sm" aria-label="Create user" onSubmit={submit} noValidate>
      <h2>Create user</h2>
      <div className="field-grid">
        <div className="field">
          <label htmlFor="new-user-name">Name</label>
          <input
            id="new-user-name"
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="new-user-email">Email</label>
          <input
            id="new-user-email"
            type="email"
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="new-user-password">Initial password</label>
          <input
            id="new-user-password"
            type="password"
            autoComplete="new-password"
            value={password}
            aria-describedby="new-user-password-hint"
            onChange={(e) => setPassword(e.target.value)}
          />
          <p id="new-user-password-hint" className="hint">
            8 to 64 characters.
          </p>
        </div>
      </div>
      {roles.data ? (
        <fieldset className="inline-checks">
          <legend>Roles (guest when none is picked)</legend>
          {roles.data.items.map((r) => (
            <label key={r.id} className="check">
              <input
                type="checkbox"
                checked={roleIds.includes(r.id)}
                onChange={(e) => toggle(r.id, e.target.checked)}
              />
              {r.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      <ErrorAlert error={create.error} />
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create user"}
        </button>
      </div>
    </form>
  );
}
