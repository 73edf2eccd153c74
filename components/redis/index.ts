export * from "./conf";
export * from "./script";
export * from "./topology";
export * from "./workloads";
export * from "./sentinel";
export * from "./network";
