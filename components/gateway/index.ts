export * from "./drain";
export * from "./runtime";
export * from "./gateway";
