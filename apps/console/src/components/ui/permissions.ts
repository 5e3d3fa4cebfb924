"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback } from "react";

import { useTRPC } from "~/trpc/react";

import type { Action, Me, Resource } from "../types";

/** allows tells whether `me` holds `action` on `resource`; write implies read. */
export function allows(me: Me | undefined, resource: Resource, action: Action): boolean {
  const granted = me?.permissions[resource];
  return granted === "write" || (granted === "read" && action === "read");
}

/**
 * useCan answers permission questions from `auth.me`, so pages show write actions only to those
 * who may use them. The server enforces the same rules; this only keeps the UI honest.
 */
export function useCan(): (resource: Resource, action: Action) => boolean {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  return useCallback((resource, action) => allows(me.data, resource, action), [me.data]);
}
