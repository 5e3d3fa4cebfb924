"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "~/trpc/react";

import { AppShell } from "../app-shell";
import type { Outputs } from "../types";
import { ErrorAlert } from "../ui/error-alert";
import { formatTime } from "../ui/format";
import { Pager } from "../ui/pager";
import { useCan } from "../ui/permissions";
import { pageOf, useQueryParams } from "../ui/query-params";
import { AssignRolesDialog } from "./assign-roles-dialog";
import { ResetPasswordDialog } from "./reset-password-dialog";
import { UserCreateForm } from "./user-create-form";

type User = Outputs["users"]["list"]["items"][number];

const PER_PAGE = 20;

/** UsersPage lists accounts; administrators create, disable, enable and reset them and assign roles. */
export function UsersPage() {
  const trpc = useTRPC();
  const can = useCan();
  const queryClient = useQueryClient();
  const [params, setParams] = useQueryParams();
  const page = pageOf(params);
  const state = params.get("state");
  const [notice, setNotice] = useState("");
  const [resetting, setResetting] = useState<User | null>(null);
  const [assigning, setAssigning] = useState<User | null>(null);
  const users = useQuery(
    trpc.users.list.queryOptions({
      page,
      perPage: PER_PAGE,
      name: params.get("name") || undefined,
      state: state === "enable" || state === "disable" ? state : undefined,
    }),
  );
  const setState = useMutation(
    trpc.users.setState.mutationOptions({
      onSuccess: async (user) => {
        setNotice(`${user.name} is ${user.state === "enable" ? "enabled" : "disabled"}.`);
        await queryClient.invalidateQueries(trpc.users.pathFilter());
      },
    }),
  );
  const writable = can("users", "write");
  const assignable = can("roles", "write") && can("roles", "read");

  return (
    <AppShell title="Users">
      {writable ? (
        <UserCreateForm onCreated={(name) => setNotice(`User ${name} created.`)} />
      ) : null}
      <p role="status" className="notice">
        {notice}
      </p>
      <div className="filters" role="search" aria-label="Filter users">
        <div className="field">
          <label htmlFor="user-search">Search users</label>
          <input
            id="user-search"
            type="search"
            defaultValue={params.get("name") ?? ""}
            onChange={(e) => setParams({ name: e.target.value }, { replace: true })}
          />
        </div>
        <div className="field">
          <label htmlFor="user-state">State</label>
          <select
            id="user-state"
            value={state ?? ""}
            onChange={(e) => setParams({ state: e.target.value })}
          >
            <option value="">All</option>
            <option value="enable">Enabled</option>
            <option value="disable">Disabled</option>
          </select>
        </div>
      </div>
      <ErrorAlert error={users.error ?? setState.error} />
      <table aria-label="Users">
        <thead>
          <tr>
            <th>ID</th>
            <th>Name</th>
            <th>Email</th>
            <th>State</th>
            <th>Roles</th>
            <th>Created</th>
            {writable || assignable ? <th>Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {(users.data?.items ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.id}</td>
              <td>{u.name}</td>
              <td>{u.email ?? "—"}</td>
              <td>
                <span className={`badge ${u.state === "enable" ? "ok" : "off"}`}>
                  {u.state === "enable" ? "enabled" : "disabled"}
                </span>
              </td>
              <td>{u.roles.join(", ") || "—"}</td>
              <td>{formatTime(u.createdAt)}</td>
              {writable || assignable ? (
                <td>
                  <div className="row-actions">
                    {writable ? (
                      <>
                        <button
                          type="button"
                          className="secondary"
                          disabled={setState.isPending}
                          onClick={() =>
                            setState.mutate({
                              id: u.id,
                              state: u.state === "enable" ? "disable" : "enable",
                            })
                          }
                        >
                          {u.state === "enable" ? "Disable" : "Enable"}
                        </button>
                        <button type="button" className="secondary" onClick={() => setResetting(u)}>
                          Reset password
                        </button>
                      </>
                    ) : null}
                    {assignable ? (
                      <button type="button" className="secondary" onClick={() => setAssigning(u)}>
                        Edit roles
                      </button>
                    ) : null}
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {users.data ? (
        <Pager
          label="Users"
          page={page}
          perPage={PER_PAGE}
          total={users.data.total}
          onPage={(p) => setParams({ page: String(p) })}
        />
      ) : null}
      <ResetPasswordDialog
        user={resetting}
        onClose={() => setResetting(null)}
        onDone={(message) => {
          setResetting(null);
          setNotice(message);
        }}
      />
      <AssignRolesDialog
        user={assigning}
        onClose={() => setAssigning(null)}
        onDone={(message) => {
          setAssigning(null);
          setNotice(message);
        }}
      />
    </AppShell>
  );
}
