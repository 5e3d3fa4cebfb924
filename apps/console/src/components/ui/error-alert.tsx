/** ErrorLike is anything with a message: a tRPC client error, an Error, a query error. */
export interface ErrorLike {
  message: string;
}

/** issueText renders one zod issue as `path: message`. */
function issueText(issue: unknown): string {
  const { path, message } = (issue ?? {}) as { path?: unknown; message?: unknown };
  const text = typeof message === "string" ? message : "is invalid";
  const where = Array.isArray(path) ? path.map(String).join(".") : "";
  return where ? `${where}: ${text}` : text;
}

/**
 * errorMessage turns a server error into one readable line. Input validation failures arrive as
 * a JSON list of zod issues; they are rendered as `field: problem` like the service errors.
 */
export function errorMessage(error: ErrorLike | null | undefined): string | null {
  if (!error) return null;
  const text = error.message.trim();
  if (text.startsWith("[")) {
    try {
      const issues: unknown = JSON.parse(text);
      if (Array.isArray(issues) && issues.length) return issues.map(issueText).join("; ");
    } catch {
      // Not JSON after all: show it as it is.
    }
  }
  return error.message;
}

/** errorField names the field an error message starts with (`config.retry_limit: …`), if any. */
export function errorField(message: string | null): string | null {
  const match = message ? /^([A-Za-z][\w.-]*): /.exec(message) : null;
  return match?.[1] ? match[1].replace(/(\.\d+)+$/, "") : null;
}

/** ErrorAlert shows a failed request's message in an alert region, or nothing. */
export function ErrorAlert({ error }: { error: ErrorLike | null | undefined }) {
  const message = errorMessage(error);
  if (!message) return null;
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}
