"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "~/trpc/react";

import type { Outputs } from "../types";
import { ErrorAlert } from "../ui/error-alert";

/** CreatedToken is a new token with its secret, which the server returns only once. */
export type CreatedToken = Outputs["personalAccessTokens"]["create"];

/** SCOPES are the token scopes and what each unlocks. */
const SCOPES = [
  { name: "job", help: "Preheat and task jobs through the open API." },
  { name: "cluster", help: "Clusters, schedulers, seed peers, peers and config." },
] as const;

type Scope = (typeof SCOPES)[number]["name"];

/** LIFETIMES are the offered expirations in days. */
const LIFETIMES = [7, 30, 60, 90, 365];

/** TokenCreateForm creates a personal access token for the signed-in user. */
export function TokenCreateForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [bio, setBio] = useState("");
  const [days, setDays] = useState(30);
  const [scopes, setScopes] = useState<Scope[]>(["job"]);
  const create = useMutation(
    trpc.personalAccessTokens.create.mutationOptions({
      onSuccess: async (token) => {
        setName("");
        setBio("");
        onCreated(token);
        await queryClient.invalidateQueries(trpc.personalAccessTokens.pathFilter());
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const expiredAt = new Date(Date.now() + days * 86_400_000).toISOString();
    create.mutate({ name: name.trim(), bio, scopes, expiredAt });
  };
  const toggle = (scope: Scope, on: boolean) =>
    setScopes(on ? [...scopes, scope] : scopes.filter((s) => s !== scope));

  return (
    <form className="card stack-sm" aria-label="Create token" onSubmit={submit} noValidate>
      <h2>Create token</h2>
      <div className="field-grid">
        <div className="field">
          <label htmlFor="token-name">Token name</label>
          <input
            id="token-name"
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="token-bio">Description</label>
          <input id="token-bio" value={bio} onChange={(e) => setBio(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="token-expiry">Expires in</label>
          <select id="token-expiry" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {LIFETIMES.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="inline-checks">
        <legend>Scopes</legend>
        {SCOPES.map((s) => (
          <label key={s.name} className="check">
            <input
              type="checkbox"
              checked={scopes.includes(s.name)}
              onChange={(e) => toggle(s.name, e.target.checked)}
            />
            {s.name}
            <span className="muted"> — {s.help}</span>
          </label>
        ))}
      </fieldset>
      <ErrorAlert error={create.error} />
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create token"}
        </button>
      </div>
    </form>
  );
}
