import { z } from "zod";

import { PageInput } from "./common";

/** COMPONENT_STATES are the liveness states of schedulers and seed peers. */
export const COMPONENT_STATES = ["active", "inactive"] as const;

/** ListSchedulersInput filters the scheduler list. */
export const ListSchedulersInput = PageInput.extend({
  schedulerClusterId: z.coerce.number().int().positive().optional(),
  state: z.enum(COMPONENT_STATES).optional(),
  hostname: z.string().max(256).optional(),
});

/** ListSeedPeersInput filters the seed peer list. */
export const ListSeedPeersInput = PageInput.extend({
  seedPeerClusterId: z.coerce.number().int().positive().optional(),
  state: z.enum(COMPONENT_STATES).optional(),
  hostname: z.string().max(256).optional(),
});
