import { z } from "zod";

import { PageInput } from "./common";

/** USER_STATES are the states a user can be put in. */
export const USER_STATES = ["enable", "disable"] as const;

/** Password is the accepted password length (the same rule as the initial root password). */
export const Password = z.string().min(8, "must be at least 8 characters").max(64);

/** SignInInput is shared by tRPC `auth.signIn` and REST `POST /api/v1/users/signin`. */
export const SignInInput = z.object({
  name: z.string().min(1, "name is required").max(256),
  password: z.string().min(1, "password is required").max(256),
});

/** ListUsersInput filters the user list. */
export const ListUsersInput = PageInput.extend({
  name: z.string().max(256).optional(),
  state: z.enum(USER_STATES).optional(),
});

/** CreateUserInput creates a user; without `roleIds` the user gets the guest role. */
export const CreateUserInput = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]{2,64}$/, "must be 2-64 letters, digits, '.', '_' or '-'"),
  password: Password,
  email: z.email().max(256).optional(),
  bio: z.string().max(1024).default(""),
  roleIds: z.array(z.number().int().positive()).optional(),
});

/** UpdateUserInput is what an administrator may change: state and password. */
export const UpdateUserInput = z.object({
  state: z.enum(USER_STATES).optional(),
  password: Password.optional(),
});

/** ChangePasswordInput lets a signed-in user change their own password. */
export const ChangePasswordInput = z.object({
  oldPassword: z.string().min(1).max(256),
  newPassword: Password,
});
