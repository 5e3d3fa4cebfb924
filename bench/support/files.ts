import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** writeRandomFile streams `size` bytes of random data to `path`, 1 MiB at a time, and syncs it. */
export async function writeRandomFile(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  const block = randomBytes(1 << 20);
  for (let written = 0; written < size;) {
    const n = Math.min(block.length, size - written);
    // Vary each block so pieces differ.
    block.writeUInt32LE(written / (1 << 20), 0);
    if (!out.write(Buffer.from(block.subarray(0, n)))) await once(out, "drain");
    written += n;
  }
  out.end();
  await once(out, "finish");
  // On disk before any timing starts: otherwise its writeback runs during the first measurements.
  const { open } = await import("node:fs/promises");
  const fh = await open(path, "r");
  await fh.sync();
  await fh.close();
}

/** peakRssMb reads a process's peak resident set (VmHWM) in MB from /proc. */
export async function peakRssMb(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}
