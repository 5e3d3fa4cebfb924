"use client";

import { Suspense } from "react";

import { ClustersList } from "~/components/clusters/clusters-list";

export default function ClustersPage() {
  return (
    <Suspense>
      <ClustersList />
    </Suspense>
  );
}
