"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { useTRPC } from "~/trpc/react";

export default function SignInPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({ onSuccess: () => router.push("/") }),
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ name, password });
  };

  return (
    <main className="center">
      <form className="card signin" onSubmit={submit} aria-label="Sign in">
        <h1>Dragonfly Manager</h1>
        <p className="muted">Sign in to manage clusters, peers and preheat jobs.</p>
        <label htmlFor="name">User name</label>
        <input
          id="name"
          autoComplete="username"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <button type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
        {signIn.error ? (
          <p role="alert" className="error">
            {signIn.error.message}
          </p>
        ) : null}
      </form>
    </main>
  );
}
