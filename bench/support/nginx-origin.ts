import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { freePort, waitFor } from "@df/testkit";

import type { FileOrigin } from "./file-origin";

const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));

/** nginxAvailable tells whether Debian's nginx is installed (`apt-get install nginx-light`). */
export const nginxAvailable = (): boolean => NGINX !== undefined;

/**
 * startNginxOrigin serves `path` at `/file` from an nginx of its own on 127.0.0.1: a real origin,
 * with Range support and sendfile, so the origin's own CPU (a Node origin spends about 1.8 CPU-s
 * per GiB, nginx about 0.13) stays out of a comparison between two clients on a small machine.
 */
export async function startNginxOrigin(path: string): Promise<FileOrigin> {
  if (!NGINX) throw new Error("nginx is not installed (apt-get install nginx-light)");
  const dir = mkdtempSync(join(tmpdir(), "df-bench-nginx-"));
  const port = await freePort();
  const log = join(dir, "bytes.log");
  writeFileSync(
    join(dir, "nginx.conf"),
    [
      "daemon off;",
      process.getuid?.() === 0 ? "user root;" : "",
      "worker_processes 1;",
      `pid ${join(dir, "nginx.pid")};`,
      `error_log ${join(dir, "error.log")};`,
      "events { worker_connections 1024; }",
      "http {",
      "  log_format bytes $body_bytes_sent;",
      `  access_log ${log} bytes;`,
      "  sendfile on; tcp_nopush on; keepalive_requests 100000;",
      `  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir};`,
      `  uwsgi_temp_path ${dir}; scgi_temp_path ${dir};`,
      `  server { listen 127.0.0.1:${port}; location = /file { alias ${path}; } }`,
      "}",
    ].join("\n"),
  );
  const proc = spawn(NGINX, ["-p", dir, "-c", join(dir, "nginx.conf")], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}/file`;
  await waitFor("nginx", async () => (await fetch(url, { method: "HEAD" })).ok, 10_000);
  return {
    url,
    bytesServed: () =>
      readFileSync(log, "utf8")
        .split("\n")
        .reduce((sum, line) => sum + (Number(line) || 0), 0),
    close: async () => {
      proc.kill();
      await new Promise((r) => proc.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
