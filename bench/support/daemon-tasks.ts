import * as grpc from "@grpc/grpc-js";

import { DfdaemonDownloadClient } from "@df/proto/dfdaemon/v2";

/** deleteTask removes a task from a daemon's storage (its page cache goes with it). */
export async function deleteTask(socket: string, id: string): Promise<void> {
  const client = new DfdaemonDownloadClient(`unix:${socket}`, grpc.credentials.createInsecure());
  try {
    await new Promise<void>((resolve, reject) =>
      client.deleteTask({ taskId: id }, (err) => (err ? reject(err) : resolve())),
    );
  } finally {
    client.close();
  }
}
