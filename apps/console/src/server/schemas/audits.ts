import { z } from "zod";

import { PageInput } from "./common";

/** ListAuditsInput filters the audit log; times are ISO 8601 with offset. */
export const ListAuditsInput = PageInput.extend({
  actorType: z.enum(["USER", "PAT", "UNKNOWN"]).optional(),
  actorName: z.string().max(256).optional(),
  action: z.string().max(128).optional(),
  targetType: z.string().max(64).optional(),
  state: z.enum(["SUCCESS", "FAILURE"]).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
});
