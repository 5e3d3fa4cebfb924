"use client";

import { useQuery } from "@tanstack/react-query";

import { ChangePasswordForm } from "~/components/account/change-password-form";
import { AppShell } from "~/components/app-shell";
import { RESOURCE_LABELS, RESOURCES } from "~/components/roles/resources";
import { useTRPC } from "~/trpc/react";

export default function ProfilePage() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const granted = RESOURCES.flatMap((r) => {
    const action = me.data?.permissions[r];
    return action ? [`${RESOURCE_LABELS[r]}: ${action}`] : [];
  });
  return (
    <AppShell title="Profile">
      <div className="two-col">
        <section className="card" aria-labelledby="about-heading">
          <h2 id="about-heading">About me</h2>
          <dl className="facts">
            <dt>Name</dt>
            <dd>{me.data?.name}</dd>
            <dt>Signed in with</dt>
            <dd>{me.data?.kind === "token" ? "an access token" : "a password"}</dd>
            <dt>Permissions</dt>
            <dd>{granted.join(", ") || "none"}</dd>
          </dl>
        </section>
        <ChangePasswordForm />
      </div>
    </AppShell>
  );
}
