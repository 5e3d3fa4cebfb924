import * as grpc from "@grpc/grpc-js";

/** GRACEFUL_STOP_MS is how long in-flight calls may finish before a forced shutdown. */
export const GRACEFUL_STOP_MS = 5_000;

/** bindServer binds insecurely to `address` (host:port or unix:path) and resolves with the port. */
export function bindServer(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(new Error(`cannot listen on ${address}: ${err.message}`)) : resolve(port),
    ),
  );
}

/** stopServer lets calls finish for up to `deadlineMs`, then forces the server closed. */
export function stopServer(server: grpc.Server, deadlineMs = GRACEFUL_STOP_MS): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, deadlineMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
