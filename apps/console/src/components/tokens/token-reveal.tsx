"use client";

import { useRef, useState } from "react";

import type { CreatedToken } from "./token-create-form";

/** TokenReveal shows a new token's secret once, with a copy button; it is never shown again. */
export function TokenReveal({ token, onDismiss }: { token: CreatedToken; onDismiss: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState("");
  const copy = async () => {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied("Copied to the clipboard.");
    } catch {
      setCopied("Copying is blocked here; the token is selected, press Ctrl+C.");
    }
  };
  return (
    <section className="card reveal" aria-labelledby="new-token-heading">
      <h2 id="new-token-heading">Token {token.name} created</h2>
      <p>Copy the token now. It is not stored and will not be shown again.</p>
      <label htmlFor="new-token-value">Token</label>
      <div className="row">
        <input
          ref={input}
          id="new-token-value"
          className="mono"
          readOnly
          value={token.token}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={() => void copy()}>
          Copy token
        </button>
      </div>
      <p role="status" className="notice">
        {copied}
      </p>
      <button type="button" className="secondary" onClick={onDismiss}>
        Done
      </button>
    </section>
  );
}
