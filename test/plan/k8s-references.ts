/**
 * Every name one Kubernetes object gives for another must resolve inside the same manifest file:
 * a reference to a generated name, or to an object the file does not hold, fails on apply or
 * leaves pods Pending. Selectors must select something the file creates.
 */
type Obj = Record<string, any>;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: any;
}

/** Pod templates of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob). */
function podTemplateOf(o: K8sObject): Obj | undefined {
  if (o.kind === "CronJob") return o.spec?.jobTemplate?.spec?.template;
  return ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(o.kind)
    ? o.spec?.template
    : undefined;
}

const matches = (selector: Record<string, string> | undefined, labels: Obj | undefined) =>
  !!selector &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** Each reference that does not resolve, as "<Kind>/<name>: <what>". */
export function danglingReferences(
  objects: K8sObject[],
  /** Namespaces that exist outside the file (kubernetes.createNamespace false). */
  externalNamespaces: string[] = [],
): string[] {
  const problems: string[] = [];
  const find = (kind: string, namespace: string | undefined, name: string | undefined) =>
    objects.find(
      (o) =>
        o.kind === kind &&
        o.metadata.name === name &&
        (kind === "Namespace" || o.metadata.namespace === namespace),
    );
  const pods = objects.flatMap((o) => {
    const template = podTemplateOf(o);
    return template ? [{ owner: o, template }] : [];
  });
  const podsMatching = (namespace: string | undefined, selector: Record<string, string>) =>
    pods.filter(
      (p) =>
        p.owner.metadata.namespace === namespace && matches(selector, p.template.metadata?.labels),
    );

  for (const o of objects) {
    const at = `${o.kind}/${o.metadata.name}`;
    const ns = o.metadata.namespace;
    const need = (kind: string, name: string | undefined, what: string, namespace = ns) => {
      const target = find(kind, namespace, name);
      if (!target)
        problems.push(`${at}: ${what} ${kind} ${JSON.stringify(name)} is not in the file`);
      return target;
    };
    if (ns !== undefined && !externalNamespaces.includes(ns))
      need("Namespace", ns, "metadata.namespace");

    const template = podTemplateOf(o);
    if (template) {
      const spec = template.spec ?? {};
      const account = spec.serviceAccountName;
      if (account && account !== "default") need("ServiceAccount", account, "serviceAccountName");
      const volumes: Obj[] = spec.volumes ?? [];
      for (const v of volumes) {
        if (v.configMap) need("ConfigMap", v.configMap.name, `volume ${v.name}`);
        if (v.secret) need("Secret", v.secret.secretName, `volume ${v.name}`);
        if (v.persistentVolumeClaim)
          need("PersistentVolumeClaim", v.persistentVolumeClaim.claimName, `volume ${v.name}`);
      }
      const claims: string[] = (o.spec?.volumeClaimTemplates ?? []).map(
        (c: Obj) => c.metadata?.name,
      );
      const volumeNames = new Set([...volumes.map((v) => v.name), ...claims]);
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as Obj[]) {
        for (const m of c.volumeMounts ?? [])
          if (!volumeNames.has(m.name))
            problems.push(
              `${at}: container ${c.name} mounts volume ${m.name}, which the pod does not have`,
            );
        for (const e of c.env ?? []) {
          const secretRef = e.valueFrom?.secretKeyRef;
          if (secretRef) {
            const secret = need("Secret", secretRef.name, `env ${e.name}`);
            const keys = Object.keys({ ...secret?.data, ...secret?.stringData });
            if (secret && !keys.includes(secretRef.key))
              problems.push(
                `${at}: env ${e.name} reads key ${secretRef.key} that Secret ${secretRef.name} lacks`,
              );
          }
          const configRef = e.valueFrom?.configMapKeyRef;
          if (configRef) need("ConfigMap", configRef.name, `env ${e.name}`);
        }
        for (const from of c.envFrom ?? []) {
          if (from.secretRef) need("Secret", from.secretRef.name, "envFrom");
          if (from.configMapRef) need("ConfigMap", from.configMapRef.name, "envFrom");
        }
      }
      if (o.kind === "StatefulSet") need("Service", o.spec?.serviceName, "spec.serviceName");
      // Jobs and CronJobs have no selector to check: the Job controller owns its pods.
      const selects = o.kind !== "CronJob" && o.kind !== "Job";
      if (selects && !matches(o.spec?.selector?.matchLabels, template.metadata?.labels))
        problems.push(`${at}: spec.selector does not select its own pod template`);
    }

    const selectorOfKind: Record<string, Record<string, string> | undefined> = {
      Service: o.spec?.selector,
      PodDisruptionBudget: o.spec?.selector?.matchLabels,
      NetworkPolicy: o.spec?.podSelector?.matchLabels,
    };
    const selector = selectorOfKind[o.kind];
    if (selector && podsMatching(ns, selector).length === 0)
      problems.push(`${at}: its selector matches no pod template in the file`);

    if (o.kind === "HorizontalPodAutoscaler") {
      const ref = o.spec?.scaleTargetRef ?? {};
      need(ref.kind, ref.name, "scaleTargetRef");
    }
    if (o.kind === "RoleBinding") {
      need(o.roleRef?.kind, o.roleRef?.name, "roleRef");
      for (const s of o.subjects ?? [])
        if (s.kind === "ServiceAccount")
          need("ServiceAccount", s.name, "subject", s.namespace ?? ns);
    }
    if (o.kind === "ServiceMonitor") {
      const services = objects.filter(
        (s) =>
          s.kind === "Service" &&
          s.metadata.namespace === ns &&
          matches(o.spec?.selector?.matchLabels, s.metadata.labels),
      );
      if (services.length === 0)
        problems.push(`${at}: its selector matches no Service in the file`);
      for (const e of o.spec?.endpoints ?? [])
        for (const s of services)
          if (!(s.spec?.ports ?? []).some((p: Obj) => p.name === e.port))
            problems.push(
              `${at}: endpoint port ${e.port} is not a port of Service ${s.metadata.name}`,
            );
    }
    if (o.kind === "TargetGroupBinding") {
      const ref = o.spec?.serviceRef ?? {};
      const service = need("Service", ref.name, "spec.serviceRef");
      if (
        service &&
        !(service.spec?.ports ?? []).some((p: Obj) => p.port === ref.port || p.name === ref.port)
      )
        problems.push(
          `${at}: spec.serviceRef.port ${ref.port} is not a port of Service ${ref.name}`,
        );
    }
  }
  return problems;
}
