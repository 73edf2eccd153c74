export * from "./binding";
export * from "./budget";
export * from "./dns";
export * from "./edge";
export * from "./routing";
export * from "./security";
export * from "./access-logs";
export * from "./elb-accounts";
