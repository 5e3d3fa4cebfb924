import { z } from "zod";

import { TOKEN_SCOPES, type TokenScope } from "@df/db";

import { PageInput } from "./common";

/** TOKEN_SCOPE_NAMES are the scopes a token may be limited to. */
export const TOKEN_SCOPE_NAMES = Object.keys(TOKEN_SCOPES) as [TokenScope, ...TokenScope[]];

/** ListTokensInput pages tokens, optionally of one owner. */
export const ListTokensInput = PageInput.extend({
  userId: z.coerce.number().int().positive().optional(),
});

/** CreateTokenInput creates a token for the caller; the secret is returned once. */
export const CreateTokenInput = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 letters, digits, '.', '_' or '-'"),
  bio: z.string().max(1024).default(""),
  scopes: z.array(z.enum(TOKEN_SCOPE_NAMES)).min(1, "name at least one scope"),
  /** expiredAt is an ISO 8601 time with offset, in the future. */
  expiredAt: z.iso.datetime({ offset: true }),
});
