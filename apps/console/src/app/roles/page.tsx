"use client";

import { RolesPage } from "~/components/roles/roles-page";

export default function Page() {
  return <RolesPage />;
}
