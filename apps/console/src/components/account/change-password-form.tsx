"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "~/trpc/react";

import { ErrorAlert } from "../ui/error-alert";

/** ChangePasswordForm changes the signed-in user's password; other sessions are signed out. */
export function ChangePasswordForm() {
  const trpc = useTRPC();
  const [oldPassword, setOldPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const change = useMutation(
    trpc.users.changePassword.mutationOptions({
      onSuccess: () => {
        setOldPassword("");
        setNewPassword("");
        setConfirm("");
        setDone(true);
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    const differ = newPassword !== confirm;
    setMismatch(differ);
    if (!differ) change.mutate({ oldPassword, newPassword });
  };
  return (
    <form
      className="card stack-sm narrow"
      aria-label="Change password"
      onSubmit={submit}
      noValidate
    >
      <h2>Change password</h2>
      <div className="field">
        <label htmlFor="old-password">Current password</label>
        <input
          id="old-password"
          type="password"
          autoComplete="current-password"
          value={oldPassword}
          onChange={(e) => setOldPassword(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="new-password">New password</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          aria-describedby="new-password-hint"
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
        />
        <p id="new-password-hint" className="hint">
          8 to 64 characters. Your other sessions are signed out.
        </p>
      </div>
      <div className="field">
        <label htmlFor="confirm-password">Confirm new password</label>
        <input
          id="confirm-password"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
      </div>
      {mismatch ? (
        <p role="alert" className="error">
          The new passwords do not match.
        </p>
      ) : (
        <ErrorAlert error={change.error} />
      )}
      <p role="status" className="notice">
        {done ? "Your password was changed." : ""}
      </p>
      <div className="actions">
        <button type="submit" disabled={change.isPending}>
          {change.isPending ? "Saving…" : "Change password"}
        </button>
      </div>
    </form>
  );
}
