"use client";

import { Suspense } from "react";

import { JobsPage } from "~/components/jobs/jobs-page";

export default function Page() {
  return (
    <Suspense>
      <JobsPage />
    </Suspense>
  );
}
