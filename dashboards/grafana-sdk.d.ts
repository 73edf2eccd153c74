// The SDK publishes its modules only through package.json "exports" subpaths, which the
// project's `moduleResolution: "node"` does not read. These declarations point the type checker
// at the same files; at run time Node and vitest resolve the subpaths through "exports" as usual.
// (Unneeded once tsconfig moves to moduleResolution node16 or bundler.)
declare module "@grafana/grafana-foundation-sdk/cloudwatch" {
  export * from "@grafana/grafana-foundation-sdk/dist/cloudwatch";
}
declare module "@grafana/grafana-foundation-sdk/cog" {
  export * from "@grafana/grafana-foundation-sdk/dist/cog";
}
declare module "@grafana/grafana-foundation-sdk/common" {
  export * from "@grafana/grafana-foundation-sdk/dist/common";
}
declare module "@grafana/grafana-foundation-sdk/dashboard" {
  export * from "@grafana/grafana-foundation-sdk/dist/dashboard";
}
declare module "@grafana/grafana-foundation-sdk/prometheus" {
  export * from "@grafana/grafana-foundation-sdk/dist/prometheus";
}
declare module "@grafana/grafana-foundation-sdk/stat" {
  export * from "@grafana/grafana-foundation-sdk/dist/stat";
}
declare module "@grafana/grafana-foundation-sdk/table" {
  export * from "@grafana/grafana-foundation-sdk/dist/table";
}
declare module "@grafana/grafana-foundation-sdk/timeseries" {
  export * from "@grafana/grafana-foundation-sdk/dist/timeseries";
}
