"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";

import { useTRPC } from "~/trpc/react";

/** AppShell renders the navigation for signed-in pages and sends anonymous visitors to sign in. */
export function AppShell({ title, children }: { title: string; children: ReactNode }) {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.auth.me.queryOptions());
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({ onSuccess: () => router.push("/signin") }),
  );
  const unauthorized = me.error?.data?.code === "UNAUTHORIZED";

  useEffect(() => {
    if (unauthorized) router.replace("/signin");
  }, [unauthorized, router]);

  if (!me.data)
    return (
      <main className="center muted">
        {me.error && !unauthorized ? me.error.message : "Loading…"}
      </main>
    );
  return (
    <div className="shell">
      <nav className="nav" aria-label="Main">
        <h2>Dragonfly</h2>
        <Link href="/">Clusters</Link>
      </nav>
      <main className="main">
        <div className="topbar">
          <h1>{title}</h1>
          <div>
            <span className="muted">Signed in as {me.data.name} </span>
            <button className="secondary" onClick={() => signOut.mutate()}>
              Sign out
            </button>
          </div>
        </div>
        {children}
      </main>
    </div>
  );
}
