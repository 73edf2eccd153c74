export * from "./sizing";
export * from "./pool";
