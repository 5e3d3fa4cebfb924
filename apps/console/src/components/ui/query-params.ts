"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

/** ParamChanges sets (string) or removes (undefined or "") query string keys. */
export type ParamChanges = Record<string, string | undefined>;

/**
 * useQueryParams keeps list state (filters, page) in the URL, so reload and back keep it.
 * Changing any filter without naming `page` returns to the first page.
 */
export function useQueryParams(): [
  URLSearchParams,
  (changes: ParamChanges, opts?: { replace?: boolean }) => void,
] {
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const update = useCallback(
    (changes: ParamChanges, opts?: { replace?: boolean }) => {
      const next = new URLSearchParams(params.toString());
      if (!("page" in changes)) next.delete("page");
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      const query = next.toString();
      const href = query ? `${pathname}?${query}` : pathname;
      if (opts?.replace) router.replace(href);
      else router.push(href);
    },
    [params, pathname, router],
  );
  return [params, update];
}

/** pageOf reads a positive page number from the query string. */
export function pageOf(params: URLSearchParams): number {
  const page = Number(params.get("page"));
  return Number.isInteger(page) && page > 0 ? page : 1;
}
