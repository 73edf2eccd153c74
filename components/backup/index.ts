export * from "./lifecycle";
export * from "./policies";
export * from "./replication";
export * from "./vault";
export * from "./link";
export * from "./lb-logs";
export * from "./elb-accounts";
