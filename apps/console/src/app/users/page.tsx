"use client";

import { Suspense } from "react";

import { UsersPage } from "~/components/users/users-page";

export default function Page() {
  return (
    <Suspense>
      <UsersPage />
    </Suspense>
  );
}
