// The policy pack entry point for `pulumi preview --policy-pack policies`. Constructing a
// PolicyPack starts its gRPC server, so nothing else imports this file: tests and the offline
// plan run the same rules from rules.ts in-process (runner.ts).
import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES } from "./rules";

new PolicyPack("vega-ha", { policies: ALL_POLICIES });
