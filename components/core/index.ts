export * from "./naming";
export * from "./tags";
export * from "./kubeconfig";
export * from "./platform";
export * from "./providers";
export * from "./irsa";
export * from "./kms";
