import { z } from "zod";

/** portSchema is a TCP port 1..65535. */
export const portSchema = (dflt: number) =>
  z.number({ message: "must be a port number 1-65535" }).int().min(1).max(65535).default(dflt);

/** hostSchema is a listen or advertise address (IPv4, IPv6 or a host name). */
export const hostSchema = (dflt: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9.:_-]*$/, { message: "must be an IP address or host name" })
    .default(dflt);
