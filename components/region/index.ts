export * from "./region";
export * from "./stack";
