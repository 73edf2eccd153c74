export * from "./lifecycle";
export * from "./policies";
export * from "./replication";
export * from "./vault";
export * from "./link";
