/**
 * harborPreheatBody is exactly what Harbor's preheat provider posts to the open API: every args
 * key, zero values included (see docs on the Harbor preheat contract).
 */
export function harborPreheatBody(
  url: string,
  authorization: string,
  clusterIds: number[] | null = null,
) {
  return {
    type: "preheat",
    args: {
      type: "image",
      url,
      tag: "",
      filtered_query_params: "",
      headers: { Authorization: authorization },
      scope: "single_seed_peer",
      concurrent_count: 0,
      timeout: 0,
    },
    scheduler_cluster_ids: clusterIds,
  };
}
