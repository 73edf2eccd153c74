export * from "./domain";
export * from "./render";
export * from "./replication";
export * from "./rest";
export * from "./snapshots";
