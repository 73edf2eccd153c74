/**
 * Runs a Pulumi program under recording mocks: every registered resource is kept with its type,
 * name, parent, provider, region and inputs (secret values redacted). Shared by the offline plan
 * and the tests. The runtime's state is global to the process: synthesise one stack per process
 * (vitest isolates each test file in its own).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  REDACTED,
  type RecordedAlias,
  type RecordedResource,
  type ResourceProps,
} from "../../components/core/plan";
import { computedOutputs, MOCK_ACCOUNT_ID, token } from "./computed";

/** Pulumi's marker for a serialised secret value. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface SynthOptions {
  project: string;
  stack: string;
  /** Full config keys to Pulumi's string encoding of the value. */
  config?: Record<string, string>;
  secretKeys?: string[];
  /** Outputs of stacks the program reads with a StackReference, by stack name. */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** Invokes the program may make, by token. Any other invoke fails the synthesis. */
  invokes?: Record<string, (inputs: ResourceProps) => Record<string, unknown>>;
}

export interface SynthResult {
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
}

/** AWS-managed prefix list names: com.amazonaws.<region or global>.[ipv6.]<service>. */
const AWS_MANAGED_PREFIX_LIST =
  /^com\.amazonaws\.([a-z]{2}(?:-[a-z]+)+-\d|global)\.(ipv6\.)?[a-z0-9-]+$/;

/**
 * An AWS-managed prefix list looked up by name, with a stable stand-in id. Refuses what AWS would
 * not find: another kind of name, or a list of another region than the one it is looked up in
 * (AWS-managed lists are regional).
 */
function managedPrefixList(inputs: ResourceProps): Record<string, unknown> {
  const name = String(inputs.name ?? "");
  const match = AWS_MANAGED_PREFIX_LIST.exec(name);
  if (!match) throw new Error(`getManagedPrefixList: no AWS-managed prefix list named "${name}"`);
  if (match[1] !== "global" && inputs.region !== undefined && inputs.region !== match[1])
    throw new Error(`getManagedPrefixList: ${name} is not a list of region ${inputs.region}`);
  const id = `pl-${token(name, 17)}`;
  return {
    id,
    name,
    arn: `arn:aws:ec2:${inputs.region ?? match[1]}:aws:prefix-list/${id}`,
    addressFamily: match[2] ? "IPv6" : "IPv4",
    ownerId: "AWS",
    entries: [],
    version: 1,
    region: inputs.region ?? match[1],
  };
}

/** Invokes answered by default: the caller identity (the mock account), AWS-managed prefix lists. */
export const DEFAULT_INVOKES: NonNullable<SynthOptions["invokes"]> = {
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: MOCK_ACCOUNT_ID,
    arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/offline-plan`,
    userId: "AIDAOFFLINEPLAN",
    id: MOCK_ACCOUNT_ID,
  }),
  "aws:ec2/getManagedPrefixList:getManagedPrefixList": managedPrefixList,
  "aws:index/getPartition:getPartition": () => ({
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    id: "aws",
  }),
  // The RDS-managed master secret the database roles log in with (postgres.roles.manage). Its
  // value is a stand-in: the plan records the provider's password as a secret, never the text.
  "aws:secretsmanager/getSecretVersion:getSecretVersion": (inputs) => ({
    arn: inputs.secretId,
    id: inputs.secretId,
    secretId: inputs.secretId,
    secretString: JSON.stringify({ username: "vega_admin", password: "offline-plan-stand-in" }),
    versionId: "offline-plan",
    versionStages: ["AWSCURRENT"],
  }),
};

function isSecret(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG
  );
}

/** Joins a key onto a recorded path (a.b[0].c). */
const keyPath = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * A secret value with every leaf replaced by "[secret]": an object or list keeps its keys and
 * length (`{password: "[secret]"}`), so a redacted manifest keeps its schema shape.
 */
function redactLeaves(value: unknown, path: string, found: string[]): unknown {
  if (isSecret(value)) return redactLeaves(value.value, path, found);
  if (Array.isArray(value)) return value.map((v, i) => redactLeaves(v, `${path}[${i}]`, found));
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactLeaves(v, keyPath(path, k), found)]),
    );
  found.push(path || "(root)");
  return REDACTED;
}

/** Replaces serialised secrets by "[secret]" leaf by leaf, collecting the leaves' paths. */
export function redactSecrets(value: unknown, path = "", found: string[] = []): unknown {
  if (isSecret(value)) return redactLeaves(value.value, path, found);
  if (Array.isArray(value)) return value.map((v, i) => redactSecrets(v, `${path}[${i}]`, found));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactSecrets(v, keyPath(path, k), found)]),
    );
  }
  return value;
}

/** Unwraps serialised secrets to their plain value, as @pulumi/policy does for its rules. */
export function unpackSecrets(value: unknown): unknown {
  if (isSecret(value)) return unpackSecrets(value.value);
  if (Array.isArray(value)) return value.map(unpackSecrets);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unpackSecrets(v)]));
  return value;
}

/** Removes Pulumi's serialisation markers (resource references, unknowns) for readability. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SECRET_SIG_KEY] === "5cf8f73096256a8f31e491e813e4eb8e") return obj.urn; // resource reference
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plain(v)]));
  }
  if (value === "04da6b54-80e4-46f7-96ec-b56ff0331ba9") return "[unknown]";
  return value;
}

/** The parts of the mock monitor's gRPC messages the recorder reads (the SDK leaves them untyped). */
interface StructMessage {
  toJavaScript(): Record<string, unknown>;
}
interface ResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getCustom?(): boolean;
  getProtect?(): boolean;
  getRetainondelete?(): boolean;
  getDependenciesList?(): string[];
  getObject?(): StructMessage | undefined;
  getProperties?(): StructMessage | undefined;
  getReplaceonchangesList?(): string[];
  getDeletebeforereplace?(): boolean;
  getAliasesList?(): AliasMessage[];
}
/** An `aliases` entry: a full URN, or a spec (empty strings for the fields left out). */
interface AliasMessage {
  getUrn(): string;
  getSpec?(): AliasSpecMessage | undefined;
}
interface AliasSpecMessage {
  getName(): string;
  getType(): string;
  getParenturn(): string;
  getNoparent(): boolean;
}
interface ResourceResponse {
  getUrn(): string;
}
type MonitorCall = (
  req: ResourceRequest,
  callback: (err: unknown, resp?: ResourceResponse) => void,
) => void;
type RecordingMonitor = Record<"registerResource" | "readResource", MonitorCall>;

/** The replacement and alias options of a registration, only those that are set. */
function resourceOptions(req: ResourceRequest): Partial<RecordedResource> {
  const replaceOnChanges: string[] = req.getReplaceonchangesList?.() ?? [];
  const aliases: RecordedAlias[] = (req.getAliasesList?.() ?? []).map((alias) => {
    const spec = alias.getSpec?.();
    if (!spec) return { urn: alias.getUrn() };
    const optional = (value: string) => (value === "" ? undefined : value);
    return Object.fromEntries(
      Object.entries({
        name: optional(spec.getName()),
        type: optional(spec.getType()),
        parentUrn: optional(spec.getParenturn()),
        noParent: spec.getNoparent() || undefined,
      }).filter(([, v]) => v !== undefined),
    );
  });
  return {
    ...(replaceOnChanges.length > 0 ? { replaceOnChanges } : {}),
    ...(req.getDeletebeforereplace?.() === true ? { deleteBeforeReplace: true } : {}),
    ...(aliases.length > 0 ? { aliases } : {}),
  };
}

const providerUrn = (ref: string) => (ref ? ref.split("::").slice(0, -1).join("::") : undefined);

/**
 * Synthesises `program` (run as the stack's root, its return value the stack outputs) and
 * returns every resource and the resolved outputs.
 */
export async function synthesize(
  program: () => unknown,
  options: SynthOptions,
): Promise<SynthResult> {
  const invokes = { ...DEFAULT_INVOKES, ...options.invokes };
  const records = new Map<string, RecordedResource>();
  const pending = new Map<string, { provider?: string }>();
  const regionOf = new Map<string, string>();

  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const key = `${args.type}::${args.name}`;
        const info = pending.get(key);
        const ownRegion = typeof args.inputs.region === "string" ? args.inputs.region : undefined;
        const fromProvider = info?.provider ? regionOf.get(info.provider) : undefined;
        const region = ownRegion ?? fromProvider ?? "";
        if (args.type === "pulumi:pulumi:StackReference") {
          const outputs = options.stackOutputs?.[args.inputs.name];
          if (!outputs)
            throw new Error(
              `no outputs known for stack reference ${args.inputs.name} (plan that stack first)`,
            );
          return {
            id: args.inputs.name,
            state: { name: args.inputs.name, outputs, secretOutputNames: [] },
          };
        }
        const state = computedOutputs({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          region,
        });
        return { id: args.custom ? `${args.name}-id` : "", state };
      },
      call(args) {
        const answer = invokes[args.token];
        if (!answer)
          throw new Error(
            `unmocked invoke ${args.token}: add it to the synthesis invokes, or avoid the invoke`,
          );
        return answer(args.inputs);
      },
    },
    options.project,
    options.stack,
    false,
  );

  // The mock monitor drops parent, provider and secretness before calling the mocks; capture
  // them from the request itself.
  const monitor = pulumi.runtime.getMonitor() as unknown as RecordingMonitor;
  const record = (
    req: ResourceRequest,
    resp: ResourceResponse,
    raw: unknown,
    provider: string | undefined,
    custom: boolean,
  ) => {
    const urn: string = resp.getUrn();
    const type: string = req.getType();
    const secretPaths: string[] = [];
    const inputs = plain(redactSecrets(raw, "", secretPaths)) as Record<string, unknown>;
    if (type.startsWith("pulumi:providers:") && typeof inputs.region === "string")
      regionOf.set(urn, inputs.region);
    const region =
      typeof inputs.region === "string"
        ? inputs.region
        : provider
          ? regionOf.get(provider)
          : undefined;
    records.set(urn, {
      urn,
      type,
      name: req.getName(),
      parent: req.getParent() || undefined,
      provider,
      region,
      custom,
      protect: req.getProtect?.() === true,
      retainOnDelete: req.getRetainondelete?.() === true,
      dependencies: req.getDependenciesList?.() ?? [],
      ...resourceOptions(req),
      inputs,
      plainInputs: plain(unpackSecrets(raw)) as Record<string, unknown>,
      secretPaths,
    });
  };
  // Registrations and reads (StackReference, get functions) alike.
  for (const [method, rawOf] of [
    ["registerResource", (req: ResourceRequest) => req.getObject?.()?.toJavaScript() ?? {}],
    ["readResource", (req: ResourceRequest) => req.getProperties?.()?.toJavaScript() ?? {}],
  ] as const) {
    const original = monitor[method].bind(monitor);
    monitor[method] = (req, callback) => {
      const provider = providerUrn(req.getProvider());
      pending.set(`${req.getType()}::${req.getName()}`, { provider });
      const raw = rawOf(req);
      const custom = method === "readResource" || req.getCustom?.() === true;
      original(req, (err, resp) => {
        if (!err && resp) record(req, resp, raw, provider, custom);
        callback(err, resp);
      });
    };
  }

  // An error thrown in an `apply` (or a failed read) rejects inside Pulumi, unhandled, and
  // whatever waits on it never finishes: the program or waitForRPCs would wait for ever (a test,
  // until its hook timed out). `pulumi up`'s language host exits 1 on the first such rejection; a
  // synthesis fails with it at once.
  let failSynthesis: (reason: unknown) => void = () => undefined;
  const unhandled = new Promise<never>((_, reject) => (failSynthesis = reject));
  unhandled.catch(() => undefined); // handled by the race below, whenever it comes
  const onUnhandled = (reason: unknown) => failSynthesis(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    // A failing program must not reject inside Pulumi's stack machinery (those rejections go
    // unhandled): catch it here and rethrow once the stack has settled.
    let programError: unknown;
    // The program itself may wait on what never comes (the outputs of a read that failed).
    const outputs =
      (await Promise.race([
        pulumi.runtime.runInPulumiStack(async () => {
          try {
            return await program();
          } catch (err) {
            programError = err;
            return {};
          }
        }),
        unhandled,
      ])) ?? {};
    // Not in the typings, but exported: waits until every outstanding registration is done.
    const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };
    await Promise.race([runtime.waitForRPCs(), unhandled]);
    if (programError !== undefined) throw programError;
    return { resources: [...records.values()], outputs: outputs as Record<string, unknown> };
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
}
