"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";

import { useTRPC } from "~/trpc/react";

import type { Resource } from "./types";
import { allows } from "./ui/permissions";

/** NAV lists the console's sections; each is shown to those who may read its resource. */
const NAV: Array<{ href: string; label: string; resource: Resource | null; match?: string }> = [
  { href: "/", label: "Clusters", resource: "clusters", match: "/clusters" },
  { href: "/schedulers", label: "Schedulers", resource: "schedulers" },
  { href: "/seed-peers", label: "Seed peers", resource: "seed-peers" },
  { href: "/jobs", label: "Jobs", resource: "jobs" },
  { href: "/tasks", label: "Tasks", resource: "tasks" },
  { href: "/users", label: "Users", resource: "users" },
  { href: "/roles", label: "Roles", resource: "roles" },
  { href: "/tokens", label: "Access tokens", resource: "personal-access-tokens" },
  { href: "/audit", label: "Audit log", resource: "audits" },
  { href: "/profile", label: "Profile", resource: null },
];

/** isCurrent tells whether a nav entry is the page being shown. */
function isCurrent(pathname: string, item: (typeof NAV)[number]): boolean {
  if (pathname === item.href) return true;
  const prefix = item.match ?? (item.href === "/" ? null : item.href);
  return prefix !== null && pathname.startsWith(`${prefix}/`);
}

/** AppShell renders the navigation for signed-in pages and sends anonymous visitors to sign in. */
export function AppShell({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
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
  const items = NAV.filter((n) => n.resource === null || allows(me.data, n.resource, "read"));
  return (
    <div className="shell">
      <nav className="nav" aria-label="Main">
        <h2>Dragonfly</h2>
        <ul>
          {items.map((item) => (
            <li key={item.href}>
              <Link href={item.href} aria-current={isCurrent(pathname, item) ? "page" : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main className="main">
        <div className="topbar">
          <h1>{title}</h1>
          <div className="row">
            <span className="muted">Signed in as {me.data.name} </span>
            <button className="secondary" onClick={() => signOut.mutate()}>
              Sign out
            </button>
          </div>
        </div>
        {actions ? <div className="page-actions">{actions}</div> : null}
        {children}
      </main>
    </div>
  );
}
