import { z } from "zod";

/** MAX_PER_PAGE caps list page sizes on every edge. */
export const MAX_PER_PAGE = 100;

/** PageInput is the shared pagination input: `page` from 1, `perPage` 1..100 (REST: `per_page`). */
export const PageInput = z.object({
  page: z.coerce.number().int().min(1).default(1),
  perPage: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(10),
});

/** IdInput names one entity by its numeric id. */
export const IdInput = z.object({ id: z.coerce.number().int().positive() });

/** JsonObject is a free-form JSON object, validated later by the service that owns its shape. */
export const JsonObject = z.record(z.string(), z.unknown());
