"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { useTRPC } from "~/trpc/react";

import { ErrorAlert } from "../ui/error-alert";
import { Modal } from "../ui/modal";

/** ResetPasswordDialog sets a new password for a user; their sessions end. */
export function ResetPasswordDialog({
  user,
  onDone,
  onClose,
}: {
  user: { id: number; name: string } | null;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [password, setPassword] = useState("");
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: () => {
        setPassword("");
        onDone(`The password of ${user?.name ?? "the user"} was reset.`);
      },
    }),
  );
  const close = () => {
    setPassword("");
    reset.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (user) reset.mutate({ id: user.id, password });
  };
  return (
    <Modal open={user !== null} title={`Reset password of ${user?.name ?? ""}`} onClose={close}>
      <form onSubmit={submit} aria-label="Reset password" noValidate>
        <label htmlFor="reset-password">New password</label>
        <input
          id="reset-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <p className="hint">8 to 64 characters. The user is signed out everywhere.</p>
        <ErrorAlert error={reset.error} />
        <div className="actions">
          <button type="button" className="secondary" onClick={close}>
            Cancel
          </button>
          <button type="submit" disabled={reset.isPending}>
            Reset password
          </button>
        </div>
      </form>
    </Modal>
  );
}
