export * from "./users";
export * from "./clusters";
export * from "./jobs";
export * from "./audits";
