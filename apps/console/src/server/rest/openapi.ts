import { z } from "zod";

import { ClientConfigSchema, SchedulerConfigSchema, ScopesSchema } from "@df/db";

import { PreheatArgsSchema, TaskArgsSchema } from "../services/jobs/args";
import { JOB_SCHEMA } from "./job-json";
import { snakeKey } from "./respond";
import type { Route } from "./router";

/** JsonSchema is a generated JSON Schema object. */
type JsonSchema = Record<string, unknown>;

/** schemaOf renders a zod schema's input side as JSON Schema 2020-12 (OpenAPI 3.1's dialect). */
function schemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
  return rest;
}

/** queryParameters lists a query schema's properties as snake_case query parameters. */
function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = schemaOf(schema);
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name: snakeKey(name),
    in: "query",
    required: required.has(name),
    schema: s,
  }));
}

/** operationOf describes one route. */
function operationOf(route: Route): JsonSchema {
  const pathParams = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "integer", minimum: 1 },
  }));
  const security =
    route.permission === "public"
      ? []
      : route.bearerOnly
        ? [{ personalAccessToken: [] }]
        : [{ session: [] }, { personalAccessToken: [] }];
  const permission =
    route.permission === "public"
      ? "none"
      : `${route.permission.action} on ${route.permission.resource}`;
  return {
    operationId: route.action,
    summary: route.summary,
    description: `Requires: ${permission}.`,
    tags: [route.path.split("/")[3] ?? "misc"],
    security,
    parameters: [...pathParams, ...(route.query ? queryParameters(route.query) : [])],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: schemaOf(route.body) } },
          },
        }
      : {}),
    responses: {
      "200": { description: "OK (lists: the page's items; see Link and X-Total-Count)" },
      default: {
        description: "Error",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
    },
  };
}

/** buildOpenApi generates the OpenAPI 3.1 document of `routes` from their zod schemas. */
export function buildOpenApi(routes: readonly Route[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_]+)/g, "{$1}");
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationOf(route) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Dragonfly manager API",
      version: "1.0.0",
      description:
        "Bodies use camelCase keys (snake_case top-level keys are accepted too); cluster config documents keep Dragonfly's snake_case keys.",
    },
    paths,
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "df_session" },
        personalAccessToken: { type: "http", scheme: "bearer" },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["code", "message"],
          properties: {
            code: { type: "string", pattern: "^DF_ERR_" },
            message: { type: "string" },
          },
        },
        SchedulerConfig: schemaOf(SchedulerConfigSchema),
        ClientConfig: schemaOf(ClientConfigSchema),
        Scopes: schemaOf(ScopesSchema),
        PreheatArgs: schemaOf(PreheatArgsSchema),
        TaskArgs: schemaOf(TaskArgsSchema),
        Job: JOB_SCHEMA,
      },
    },
  };
}
