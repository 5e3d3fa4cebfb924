"use client";

import { Suspense } from "react";

import { SchedulersPage } from "~/components/instances/schedulers-page";

export default function Page() {
  return (
    <Suspense>
      <SchedulersPage />
    </Suspense>
  );
}
