"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "~/trpc/react";

import { AppShell } from "../app-shell";
import type { Outputs } from "../types";
import { ErrorAlert } from "../ui/error-alert";
import { formatTime } from "../ui/format";
import { ConfirmDialog } from "../ui/modal";
import { Pager } from "../ui/pager";
import { useCan } from "../ui/permissions";
import { TokenCreateForm, type CreatedToken } from "./token-create-form";
import { TokenReveal } from "./token-reveal";

type Token = Outputs["personalAccessTokens"]["list"]["items"][number];

const PER_PAGE = 20;

/** TokensPage creates, lists and revokes personal access tokens. */
export function TokensPage() {
  const trpc = useTRPC();
  const can = useCan();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const tokens = useQuery(trpc.personalAccessTokens.list.queryOptions({ page, perPage: PER_PAGE }));
  const revoke = useMutation(
    trpc.personalAccessTokens.revoke.mutationOptions({
      onSuccess: async () => {
        setRevoking(null);
        await queryClient.invalidateQueries(trpc.personalAccessTokens.pathFilter());
      },
    }),
  );
  const writable = can("personal-access-tokens", "write");

  return (
    <AppShell title="Access tokens">
      {created ? <TokenReveal token={created} onDismiss={() => setCreated(null)} /> : null}
      {writable ? <TokenCreateForm onCreated={setCreated} /> : null}
      <ErrorAlert error={tokens.error} />
      <table aria-label="Personal access tokens">
        <thead>
          <tr>
            <th>Name</th>
            <th>Owner</th>
            <th>Prefix</th>
            <th>Scopes</th>
            <th>State</th>
            <th>Expires</th>
            <th>Last used</th>
            {writable ? <th>Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {tokens.data?.items.length === 0 ? (
            <tr>
              <td colSpan={writable ? 8 : 7} className="muted">
                No tokens yet.
              </td>
            </tr>
          ) : null}
          {(tokens.data?.items ?? []).map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>{t.userName}</td>
              <td>
                <code>{t.tokenPrefix}…</code>
              </td>
              <td>{t.scopes.join(", ")}</td>
              <td>
                <span className={`badge ${t.state === "active" ? "ok" : "off"}`}>{t.state}</span>
              </td>
              <td>{formatTime(t.expiredAt)}</td>
              <td>{formatTime(t.lastUsedAt)}</td>
              {writable ? (
                <td>
                  {t.state === "active" ? (
                    <button
                      type="button"
                      className="secondary danger-text"
                      onClick={() => {
                        revoke.reset();
                        setRevoking(t);
                      }}
                    >
                      Revoke
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {tokens.data ? (
        <Pager
          label="Tokens"
          page={page}
          perPage={PER_PAGE}
          total={tokens.data.total}
          onPage={setPage}
        />
      ) : null}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke token ${revoking?.name ?? ""}?`}
        message="Requests using this token are refused from now on. This cannot be undone."
        confirmLabel="Revoke"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id })}
        onCancel={() => setRevoking(null)}
      />
    </AppShell>
  );
}
