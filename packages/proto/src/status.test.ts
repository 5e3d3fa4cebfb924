import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { credentials, Server, ServerCredentials, status } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { DfError, ErrorCode } from "@df/errors";
import type { ErrorCodeValue } from "@df/errors";
import { HealthClient, HealthService } from "./gen/grpc/health/v1/health";
import type { HealthServer } from "./gen/grpc/health/v1/health";
import { ERROR_CODE_KEY, fromGrpcError, grpcStatusOf, toGrpcError } from "./status";

/** The test server fails every Check; the requested "service" name selects how. */
function failingServer(): Server {
  const impl: HealthServer = {
    check(call, callback) {
      const name = call.request.service;
      if (name === "plain-error") return callback(toGrpcError(new Error("kaboom")));
      if (name === "bare-status") return callback({ code: status.NOT_FOUND, details: "bare" });
      callback(
        toGrpcError(new DfError(name as ErrorCodeValue, `failed with ${name}`, { name, n: 1 })),
      );
    },
    watch(call) {
      call.destroy(toGrpcError(new DfError(ErrorCode.Internal, "unused")));
    },
  };
  const server = new Server();
  server.addService(HealthService, impl);
  return server;
}

describe("gRPC status mapping", () => {
  const server = failingServer();
  let client: InstanceType<typeof HealthClient>;

  beforeAll(async () => {
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    client = new HealthClient(`127.0.0.1:${port}`, credentials.createInsecure());
  });

  afterAll(() => {
    client.close();
    server.forceShutdown();
  });

  const call = (service: string): Promise<ServiceError> =>
    new Promise((resolve, reject) =>
      client.check({ service }, (err) =>
        err ? resolve(err) : reject(new Error("call succeeded")),
      ),
    );

  it.each(Object.values(ErrorCode))("round-trips %s through a unary call", async (code) => {
    const err = await call(code);
    expect(err.code).toBe(grpcStatusOf[code]);
    expect(err.metadata.get(ERROR_CODE_KEY)).toEqual([code]);
    const df = fromGrpcError(err);
    expect(df).toBeInstanceOf(DfError);
    expect(df.code).toBe(code);
    expect(df.message).toBe(`failed with ${code}`);
    expect(df.details).toEqual({ name: code, n: 1 });
  });

  it("maps a non-DfError to INTERNAL", async () => {
    const err = await call("plain-error");
    expect(err.code).toBe(status.INTERNAL);
    expect(fromGrpcError(err)).toMatchObject({ code: ErrorCode.Internal, message: "kaboom" });
  });

  it("falls back to the gRPC status when the trailer is missing", async () => {
    const err = await call("bare-status");
    expect(fromGrpcError(err)).toMatchObject({
      code: ErrorCode.NotFound,
      message: "bare",
      details: {},
    });
  });

  it("keeps DfErrors and wraps other values", () => {
    const df = new DfError(ErrorCode.Timeout, "slow");
    expect(fromGrpcError(df)).toBe(df);
    expect(fromGrpcError("weird").code).toBe(ErrorCode.Internal);
    expect(toGrpcError(df)).toMatchObject({ code: status.DEADLINE_EXCEEDED, details: "slow" });
  });
});
