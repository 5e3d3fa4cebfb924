/** LIVE_REFRESH_MS is how often pages showing component liveness refetch it. */
export const LIVE_REFRESH_MS = 3_000;
