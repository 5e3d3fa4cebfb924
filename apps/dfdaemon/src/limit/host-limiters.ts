import type { ClientConfig } from "@df/cluster-config";

import { TokenBucket } from "./token-bucket";

/** HostLimiters are the byte-rate buckets shared by every task on the host. */
export interface HostLimiters {
  download: TokenBucket;
  upload: TokenBucket;
  backToSource: TokenBucket;
}

/** createHostLimiters builds the buckets from the client config (0 = unlimited). */
export function createHostLimiters(
  config: Pick<
    ClientConfig,
    "download_rate_limit" | "upload_rate_limit" | "back_to_source_rate_limit"
  >,
): HostLimiters {
  return {
    download: new TokenBucket(config.download_rate_limit),
    upload: new TokenBucket(config.upload_rate_limit),
    backToSource: new TokenBucket(config.back_to_source_rate_limit),
  };
}

/** applyLimits changes the rates at once, e.g. when the manager pushes a new client config. */
export function applyLimits(
  limiters: HostLimiters,
  config: Pick<
    ClientConfig,
    "download_rate_limit" | "upload_rate_limit" | "back_to_source_rate_limit"
  >,
): void {
  limiters.download.setRate(config.download_rate_limit);
  limiters.upload.setRate(config.upload_rate_limit);
  limiters.backToSource.setRate(config.back_to_source_rate_limit);
}
