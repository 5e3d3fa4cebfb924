import { fstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { leaseContent, openContentFiles, retireContent } from "./content-fds";

const dir = mkdtempSync(join(tmpdir(), "df-content-fds-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const isOpen = (fd: number) => {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
};

describe("leaseContent", () => {
  it("shares one descriptor among the leases of a file", async () => {
    const path = join(dir, "shared");
    writeFileSync(path, "0000");
    const a = await leaseContent(path);
    const b = await leaseContent(path);
    expect(b.fd).toBe(a.fd);
    writeSync(a.fd, "ab", 0);
    writeSync(b.fd, "cd", 2);
    expect(readFileSync(path, "utf8")).toBe("abcd");
    a.release();
    b.release();
    retireContent(path);
  });

  it("after a retire, closes the old descriptor once unused and opens the file now at the path", async () => {
    const path = join(dir, "recreated");
    writeFileSync(path, "old!");
    const old = await leaseContent(path);
    // The task is deleted and created anew while a piece write still holds the old file.
    rmSync(path);
    retireContent(path);
    writeFileSync(path, "new!");
    const fresh = await leaseContent(path);
    expect(fresh.fd).not.toBe(old.fd);
    writeSync(fresh.fd, "NEW", 0);
    expect(readFileSync(path, "utf8")).toBe("NEW!");
    expect(isOpen(old.fd)).toBe(true);
    old.release();
    await new Promise((r) => setTimeout(r, 50));
    expect(isOpen(old.fd)).toBe(false);
    fresh.release();
    retireContent(path);
    expect(openContentFiles()).toBe(0);
  });

  it("fails a lease of a missing file and keeps nothing open for it", async () => {
    const before = openContentFiles();
    await expect(leaseContent(join(dir, "missing"))).rejects.toThrow(/ENOENT/);
    expect(openContentFiles()).toBe(before);
  });
});
