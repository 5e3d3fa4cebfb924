export { freePort } from "./ports";
export { startProcess, type ManagedProcess, type StartProcessOptions } from "./process";
export { waitFor, httpOk, grpcServing } from "./wait";
export { startApp, APP_ENTRY, REPO_ROOT } from "./apps";
export { harborPreheatBody } from "./harbor";
