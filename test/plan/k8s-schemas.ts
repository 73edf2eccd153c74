/**
 * Kubernetes objects checked against the upstream API schemas, unknown fields refused (what
 * `kubectl apply --validate=strict` and the API server's strict field validation do).
 *
 * Source: kubernetes-models (core kinds) and @kubernetes-models/prometheus-operator (the
 * ServiceMonitor and PrometheusRule CRDs), both generated from the published OpenAPI schemas.
 * Each kind ships two views of the same schema: a compiled ajv validator (types, required
 * fields, enums, formats) and TypeScript declarations. The validators do not refuse unknown
 * fields (the generated schemas omit `additionalProperties: false`), so the field names are
 * taken from the declarations: every key of the object must be a property of its declared type.
 */
import { createRequire } from "node:module";
import * as ts from "typescript";
import { ROOT } from "../harness";

const requireFromRoot = createRequire(`${ROOT}/package.json`);

/** The package module holding the models of one API group/version, or undefined. */
export function modelModule(apiVersion: string): string | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "monitoring.coreos.com")
    return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}`;
  if (group!.includes(".") && !group!.endsWith(".k8s.io")) return undefined; // another CRD
  return group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
}

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

function modelClass(apiVersion: string, kind: string): ModelClass | undefined {
  const module = modelModule(apiVersion);
  if (!module) return undefined;
  try {
    return (requireFromRoot(module) as Record<string, ModelClass>)[kind];
  } catch {
    return undefined;
  }
}

/** Declared types of the kinds asked for, from one TypeScript program over the declarations. */
class DeclaredTypes {
  private readonly checker: ts.TypeChecker;
  private readonly types = new Map<string, ts.Type>();

  constructor(kinds: { apiVersion: string; kind: string }[]) {
    const entry = `${ROOT}/__k8s_declared_types__.ts`;
    const keyOf = (k: { apiVersion: string; kind: string }) => `${k.apiVersion} ${k.kind}`;
    const unique = [...new Map(kinds.map((k) => [keyOf(k), k])).values()];
    const source = unique
      .map(
        (k, i) =>
          `export type T${i} = import(${JSON.stringify(modelModule(k.apiVersion))}).I${k.kind};`,
      )
      .join("\n");
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (f) => (f === entry ? source : readFile(f));
    host.fileExists = (f) => f === entry || fileExists(f);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (f, lang, ...rest) =>
      f === entry
        ? ts.createSourceFile(f, source, lang, true, ts.ScriptKind.TS)
        : getSourceFile(f, lang, ...rest);
    const program = ts.createProgram([entry], options, host);
    this.checker = program.getTypeChecker();
    const file = program.getSourceFile(entry)!;
    const problems = ts
      .getPreEmitDiagnostics(program, file)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    if (problems.length > 0)
      throw new Error(`cannot load the declared types: ${problems.join("; ")}`);
    file.statements.forEach((statement, i) => {
      const alias = statement as ts.TypeAliasDeclaration;
      this.types.set(keyOf(unique[i]!), this.checker.getTypeAtLocation(alias.name));
    });
  }

  has(apiVersion: string, kind: string): boolean {
    return this.types.has(`${apiVersion} ${kind}`);
  }

  kinds(): { apiVersion: string; kind: string }[] {
    return [...this.types.keys()].map((k) => {
      const [apiVersion, kind] = k.split(" ");
      return { apiVersion: apiVersion!, kind: kind! };
    });
  }

  /** Paths of fields the declared type of `kind` does not have. */
  unknownFields(apiVersion: string, kind: string, value: unknown): string[] {
    const type = this.types.get(`${apiVersion} ${kind}`);
    if (!type) throw new Error(`no declared type loaded for ${apiVersion} ${kind}`);
    const found: string[] = [];
    this.walk(value, type, "", found);
    return found;
  }

  private walk(value: unknown, declared: ts.Type, path: string, found: string[]): void {
    if (value === null || value === undefined) return;
    let type = this.checker.getNonNullableType(declared);
    if (type.isUnion()) {
      // int-or-string, enums: primitives the validator checks. Objects: one shape per field.
      const objects = type.types.filter((t) => t.flags & ts.TypeFlags.Object);
      if (objects.length !== 1) return;
      type = objects[0]!;
    }
    if (this.checker.isArrayType(type)) {
      const item = this.checker.getTypeArguments(type as ts.TypeReference)[0]!;
      if (Array.isArray(value)) value.forEach((v, i) => this.walk(v, item, `${path}[${i}]`, found));
      return;
    }
    if (!(type.flags & ts.TypeFlags.Object) || typeof value !== "object" || Array.isArray(value))
      return;
    const index = this.checker.getIndexTypeOfType(type, ts.IndexKind.String);
    for (const [key, v] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      const property = this.checker.getPropertyOfType(type, key);
      if (property) this.walk(v, this.checker.getTypeOfSymbol(property), at, found);
      else if (index) this.walk(v, index, at, found);
      else found.push(at);
    }
  }
}

/** One program for every call (building it takes seconds); rebuilt only for a new kind. */
let loaded: DeclaredTypes | undefined;
function declaredTypes(kinds: { apiVersion: string; kind: string }[]): DeclaredTypes {
  if (!loaded || kinds.some((k) => !loaded!.has(k.apiVersion, k.kind)))
    loaded = new DeclaredTypes([...(loaded?.kinds() ?? []), ...kinds]);
  return loaded;
}

export interface ObjectProblem {
  /** "<kind>/<name>". */
  object: string;
  message: string;
}

export interface SchemaReport {
  problems: ObjectProblem[];
  /** Kinds no registry package publishes a schema for (checked for names and references only). */
  unchecked: string[];
}

type K8sObject = { apiVersion?: string; kind?: string; metadata?: { name?: string } };

/** Validates every object; kinds without a published schema are listed, not failed. */
export function validateObjects(objects: K8sObject[]): SchemaReport {
  const typed = objects.filter(
    (o): o is Required<Pick<K8sObject, "apiVersion" | "kind">> & K8sObject =>
      typeof o.apiVersion === "string" &&
      typeof o.kind === "string" &&
      modelClass(o.apiVersion, o.kind) !== undefined,
  );
  const declared = declaredTypes(typed);
  const problems: ObjectProblem[] = [];
  const unchecked = new Set<string>();
  for (const o of objects) {
    const object = `${o.kind}/${o.metadata?.name}`;
    if (typeof o.apiVersion !== "string" || typeof o.kind !== "string") {
      problems.push({ object, message: "no apiVersion or kind" });
      continue;
    }
    const Model = modelClass(o.apiVersion, o.kind);
    if (!Model) {
      if (modelModule(o.apiVersion) === undefined) unchecked.add(`${o.apiVersion} ${o.kind}`);
      else problems.push({ object, message: `${o.apiVersion} has no kind ${o.kind}` });
      continue;
    }
    try {
      new Model(o).validate();
    } catch (err) {
      problems.push({ object, message: (err as Error).message });
    }
    for (const field of declared.unknownFields(o.apiVersion, o.kind, o))
      problems.push({ object, message: `unknown field ${field}` });
  }
  return { problems, unchecked: [...unchecked].sort() };
}
