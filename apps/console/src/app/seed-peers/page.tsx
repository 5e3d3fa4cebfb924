"use client";

import { Suspense } from "react";

import { SeedPeersPage } from "~/components/instances/seed-peers-page";

export default function Page() {
  return (
    <Suspense>
      <SeedPeersPage />
    </Suspense>
  );
}
