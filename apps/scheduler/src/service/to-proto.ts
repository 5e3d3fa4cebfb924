import { HostType, type Host as HostProto, type Peer as PeerProto } from "@df/proto/common/v2";

import type { Host } from "../resource/host";
import type { Peer } from "../resource/peer";

/** hostToProto renders a host for responses. */
export function hostToProto(h: Host): HostProto {
  const i = h.info;
  return {
    id: h.id,
    type: i.type === "seed" ? HostType.HOST_TYPE_SEED : HostType.HOST_TYPE_NORMAL,
    hostname: i.hostname,
    ip: i.ip,
    port: i.port,
    downloadPort: i.downloadPort,
    proxyPort: 0,
    idc: i.idc ?? "",
    location: i.location ?? "",
    os: "",
    platform: "",
    kernelVersion: "",
    cpu: i.cpu,
    memory: i.memory,
    network: i.network,
    disk: i.disk,
    build: undefined,
    schedulerClusterId: 0,
    disableShared: i.disableShared ?? false,
    createdAt: new Date(h.createdAt),
    updatedAt: new Date(h.lastAnnouncedAt),
  };
}

/** peerToProto renders a peer (a candidate parent, or a stat answer). */
export function peerToProto(p: Peer): PeerProto {
  return {
    id: p.id,
    host: hostToProto(p.host),
    taskId: p.task.id,
    state: p.state,
    finishedPieceCount: p.finishedPieces.size,
    pieces: [],
    range: undefined,
    priority: 0,
    needBackToSource: p.needBackToSource,
    costMs: 0,
    createdAt: new Date(p.createdAt),
    updatedAt: new Date(p.updatedAt),
  };
}
