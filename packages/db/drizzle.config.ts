import { defineConfig } from "drizzle-kit";

// Migrations are generated from the schema and committed; both drivers apply the same folder.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "./migrations",
  casing: "snake_case",
});
