import { close, open } from "node:fs";
import { promisify } from "node:util";

const openFd = promisify(open);
const closeFd = promisify(close);

/** LINGER_MS is how long an unused descriptor stays open for the task's next piece. */
const LINGER_MS = 2_000;

/** ContentLease is a shared read-write descriptor of a content file, held for one piece's I/O. */
export interface ContentLease {
  fd: number;
  /** release hands the lease back; call it once, after the last read or write on `fd` ended. */
  release(): void;
}

interface Entry {
  fd: Promise<number>;
  users: number;
  retired: boolean;
  timer?: NodeJS.Timeout;
}

const entries = new Map<string, Entry>();

/**
 * leaseContent shares one descriptor per content file among the piece writes and piece reads of
 * its task, instead of an open and a close per piece: in a swarm of 16 those were about a twelfth
 * of the daemons' CPU. The descriptor closes LINGER_MS after its last lease, or as soon as it is
 * unused once retired. Storage retires a path whenever its file is deleted or created anew, so a
 * lease never reaches a file that is no longer the task's.
 */
export async function leaseContent(path: string): Promise<ContentLease> {
  let entry = entries.get(path);
  if (!entry) {
    entry = { fd: openFd(path, "r+"), users: 0, retired: false };
    entries.set(path, entry);
  }
  const e = entry;
  e.users++;
  clearTimeout(e.timer);
  e.timer = undefined;
  let fd: number;
  try {
    fd = await e.fd;
  } catch (err) {
    if (entries.get(path) === e) entries.delete(path);
    e.users--;
    throw err;
  }
  let released = false;
  return {
    fd,
    release: () => {
      if (released) return;
      released = true;
      e.users--;
      if (e.users > 0) return;
      if (e.retired) return closeEntry(e);
      e.timer = setTimeout(() => {
        if (entries.get(path) === e) entries.delete(path);
        closeEntry(e);
      }, LINGER_MS);
      e.timer.unref();
    },
  };
}

/** retireContent stops handing out the path's descriptor and closes it once no lease holds it. */
export function retireContent(path: string): void {
  const e = entries.get(path);
  if (!e) return;
  entries.delete(path);
  e.retired = true;
  clearTimeout(e.timer);
  if (e.users === 0) closeEntry(e);
}

/** openContentFiles is the number of paths with a descriptor open or opening (for tests). */
export function openContentFiles(): number {
  return entries.size;
}

function closeEntry(e: Entry): void {
  clearTimeout(e.timer);
  e.fd.then(closeFd).catch(() => undefined);
}
