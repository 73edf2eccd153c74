/**
 * The pack loads on its own, as `pulumi preview --policy-pack policies` loads it: the CLI runs
 * the Node.js analyzer shim (pulumi-analyzer-policy), which resolves
 * `@pulumi/pulumi/cmd/run-policy-pack` from the pack's folder and runs it there with `<engine>
 * .`; run-policy-pack registers ts-node with type-checking on (tsconfig.json of the pack's
 * folder, none here: ts-node's defaults) and requires the folder, i.e. package.json's `main`,
 * index.ts. Constructing the PolicyPack starts its gRPC server and prints the port; the test
 * asks that server for the pack's policies (GetAnalyzerInfo, what the CLI asks first) and kills
 * it, also on failure or timeout.
 *
 * Unlike the program's load (test/stack/engine-load.test.ts, which mirrors run.js because its
 * package entry starts a language host), run-policy-pack/index.js is itself runnable: the test
 * runs the engine's own script, not a copy.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_POLICIES } from "../../policies/rules";
import { ROOT } from "../harness";

const PACK_DIR = path.join(ROOT, "policies");
/** At most this long for ts-node to type-check and load the pack (about 16 s here). */
const LOAD_TIMEOUT_MS = 180_000;

// The gRPC client from the very modules the pack's server uses (resolved as @pulumi/policy does).
const fromPolicy = createRequire(require.resolve("@pulumi/policy/server.js", { paths: [ROOT] }));
const grpc = fromPolicy("@grpc/grpc-js");
const analyzerRpc = fromPolicy("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Empty } = fromPolicy("google-protobuf/google/protobuf/empty_pb");
const { convertEnforcementLevel } = fromPolicy("./protoutil");

interface ServedPolicy {
  name: string;
  enforcementLevel: string;
  remediationSteps: string;
  configSchema: Record<string, unknown>;
}

let child: ChildProcess | undefined;
let stderr = "";

/** Starts the pack as the analyzer shim does; resolves with the port its server listens on. */
function startPack(): Promise<number> {
  const script = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
  const { NODE_OPTIONS: _inherited, ...env } = process.env;
  child = spawn(process.execPath, [script, "127.0.0.1:0", "."], {
    cwd: PACK_DIR,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr!.on("data", (d) => (stderr += d));
  let stdout = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the pack printed no port within ${LOAD_TIMEOUT_MS} ms\n${stderr}`)),
      LOAD_TIMEOUT_MS,
    );
    child!.stdout!.on("data", (d) => {
      stdout += d;
      const port = /^(\d+)$/m.exec(stdout)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(Number(port));
      }
    });
    child!.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the pack exited with ${code} before serving\n${stdout}\n${stderr}`));
    });
  });
}

/** GetAnalyzerInfo, as the CLI calls it: the pack's name and its policies. */
function analyzerInfo(port: number): Promise<{ name: string; policies: ServedPolicy[] }> {
  const client = new analyzerRpc.AnalyzerClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  return new Promise((resolve, reject) =>
    client.getAnalyzerInfo(new Empty(), (err: Error | null, info: any) => {
      client.close();
      if (err) return reject(err);
      resolve({
        name: info.getName(),
        policies: info.getPoliciesList().map((p: any): ServedPolicy => ({
          name: p.getName(),
          enforcementLevel: convertEnforcementLevel(p.getEnforcementlevel()),
          remediationSteps: p.getRemediationSteps(),
          configSchema: p.getConfigschema()?.getProperties()?.toJavaScript() ?? {},
        })),
      });
    }),
  );
}

let served: { name: string; policies: ServedPolicy[] };
beforeAll(async () => {
  served = await analyzerInfo(await startPack());
}, LOAD_TIMEOUT_MS + 30_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
});

describe("policies/ loaded as `pulumi preview --policy-pack policies` loads it", () => {
  it("compiles under the engine's ts-node (type-checking on) and serves the pack", () => {
    expect(served.name).toBe("vega-ha");
    expect(stderr).toBe("");
  });

  it("serves every rule of the pack, with its level, remedy and config schema", () => {
    expect(served.policies).toEqual(
      ALL_POLICIES.map((p) => ({
        name: p.name,
        enforcementLevel: p.enforcementLevel,
        remediationSteps: p.remediationSteps,
        configSchema: p.configSchema?.properties ?? {},
      })),
    );
  });
});
