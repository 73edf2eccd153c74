export * from "./errors";
export * from "./schema";
export * from "./contract";
export * from "./load";
export * from "./platform";
export * from "./backup";
export * from "./observability";
