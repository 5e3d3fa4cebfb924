import { createHash } from "node:crypto";

/**
 * rendezvousOrder orders addresses for a key by highest random weight: every host computes the
 * same order for a task, so all peers of a task meet on its first scheduler, and when that one
 * is gone they all move to the same next one. Removing an address moves only its own keys.
 * Formula: weight(addr) = first 6 bytes of sha256(key ‖ "|" ‖ addr); order by weight, descending.
 */
export function rendezvousOrder(key: string, addrs: readonly string[]): string[] {
  const weight = (a: string) =>
    createHash("sha256").update(`${key}|${a}`).digest().readUIntBE(0, 6);
  return [...new Set(addrs)]
    .map((a) => ({ a, w: weight(a) }))
    .sort((x, y) => y.w - x.w)
    .map((x) => x.a);
}
