"use client";

import { useParams } from "next/navigation";

import { ClusterDetail } from "~/components/clusters/cluster-detail";

export default function ClusterPage() {
  const { id } = useParams<{ id: string }>();
  return <ClusterDetail id={Number(id)} />;
}
