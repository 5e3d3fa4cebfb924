import { createRequire } from "node:module";
import { crc32 as zlibCrc32 } from "node:zlib";

/** Crc32 is CRC-32 (IEEE): `crc32(data, previous)` continues a running value, as zlib's. */
export type Crc32 = (data: Uint8Array, previous?: number) => number;

let impl: Crc32 | undefined;
let backend: "native" | "zlib" = "zlib";

/**
 * crc32 computes CRC-32 (IEEE) with @node-rs/crc32 (carry-less multiply, about 15 GB/s here)
 * and falls back to node:zlib's table-driven one (about 2.5 GB/s) where that package has no
 * binary for the platform. Both give the same values; the piece path of a 1 GiB download spent
 * a third of the daemon's main-thread time in zlib's. Loaded on first use, so a process that
 * never digests (dfget) never loads the native module.
 */
export const crc32: Crc32 = (data, previous = 0) => (impl ??= load())(data, previous);

function load(): Crc32 {
  try {
    const native = createRequire(import.meta.url)("@node-rs/crc32") as {
      crc32(input: Uint8Array, initialState?: number): number;
    };
    const probe = new Uint8Array([1, 2, 3]);
    if (native.crc32(probe) === zlibCrc32(probe)) {
      backend = "native";
      return (d, p) => native.crc32(d, p);
    }
  } catch {
    // no binary for this platform: zlib's
  }
  return (d, p) => zlibCrc32(d, p);
}

/** crc32Backend names the implementation in use (after loading it). */
export function crc32Backend(): "native" | "zlib" {
  impl ??= load();
  return backend;
}
