import { readFileSync } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";

import { z } from "zod";

import { SchedulerConfigSchema } from "@df/cluster-config";

/** DYNCONFIG_FILE is the file in dataDir that keeps the last config pushed by the manager. */
export const DYNCONFIG_FILE = "dynconfig.json";

/** DynconfigSchema is the kept file: `{ "revision": 7, "scheduler_config": { ... } }`. */
export const DynconfigSchema = z
  .object({
    revision: z.number().int().min(0),
    scheduler_config: SchedulerConfigSchema,
  })
  .strict();

/** Dynconfig is the last applied cluster config and its revision. */
export type Dynconfig = z.output<typeof DynconfigSchema>;

/** dynconfigPath is `<dataDir>/dynconfig.json`. */
export const dynconfigPath = (dataDir: string): string => join(dataDir, DYNCONFIG_FILE);

/** readDynconfig reads the kept config: undefined when absent, an Error when unreadable or invalid. */
export function readDynconfig(path: string): Dynconfig | Error | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return err as Error;
  }
  try {
    const parsed = DynconfigSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : new Error(parsed.error.message);
  } catch (err) {
    return err as Error;
  }
}

let tmpCounter = 0;

/** writeDynconfig replaces the file atomically: write and fsync a temporary file, then rename it. */
export async function writeDynconfig(path: string, value: Dynconfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
  try {
    const fh = await open(tmp, "w");
    try {
      await fh.writeFile(JSON.stringify(value, null, 2) + "\n");
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
