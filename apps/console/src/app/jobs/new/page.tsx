"use client";

import { AppShell } from "~/components/app-shell";
import { PreheatForm } from "~/components/jobs/preheat-form";
import { useCan } from "~/components/ui/permissions";

export default function NewPreheatPage() {
  const can = useCan();
  return (
    <AppShell title="New preheat">
      {can("jobs", "write") ? (
        <PreheatForm />
      ) : (
        <p className="muted">Creating preheats needs write permission on jobs.</p>
      )}
    </AppShell>
  );
}
