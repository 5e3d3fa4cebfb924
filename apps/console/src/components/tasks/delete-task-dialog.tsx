"use client";

import { useState } from "react";

import { ErrorAlert, type ErrorLike } from "../ui/error-alert";
import { Modal } from "../ui/modal";

/** DeleteTaskDialog deletes a task's cache only after the operator typed its id. */
export function DeleteTaskDialog({
  taskId,
  open,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  taskId: string;
  open: boolean;
  pending: boolean;
  error: ErrorLike | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const [typed, setTyped] = useState("");
  const close = () => {
    setTyped("");
    onCancel();
  };
  return (
    <Modal open={open} title="Delete the task's cache?" onClose={close}>
      <p>
        Every peer of the clusters deletes its copy of task <code>{taskId}</code>. The next download
        goes back to the origin. This cannot be undone.
      </p>
      <div className="field">
        <label htmlFor="confirm-task-id">Type the task ID to confirm</label>
        <input
          id="confirm-task-id"
          autoComplete="off"
          value={typed}
          onChange={(e) => setTyped(e.target.value.trim())}
        />
      </div>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={close}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          disabled={pending || typed !== taskId}
          onClick={onConfirm}
        >
          {pending ? "Deleting…" : "Delete cache"}
        </button>
      </div>
    </Modal>
  );
}
