// Checks the manifests that `helm template` rendered from helm/cvd-planner:
//  1. every object against the Kubernetes OpenAPI schema (kubernetes-models: types, required
//     fields, enums; it does not reject unknown fields),
//  2. what the chart promises: probes on Actuator health, the datasource from a Secret, no
//     embedded database, no demo pipeline unless asked for, non-root with a read-only root file
//     system, job settings that exist and bind, a grace period that covers the job engine's
//     real shutdown (computed from JobsProperties, application.yml and the rendered settings by
//     .ci/service-settings.mjs, not from the chart's own arithmetic), the settings of each
//     values file, and what the chart adds for operating it: sslmode (and the CA mount) in the
//     JDBC URL, a NetworkPolicy (only port 8080 in, only DNS and PostgreSQL out), Prometheus
//     scrape annotations, OMP_NUM_THREADS tied to the CPU limit, an Ingress with TLS, a
//     ServiceMonitor, the dashboard ConfigMap, an image digest and the GPU preset.
//
// Usage: node helm-manifests.mjs <dir with node_modules> <render-dir> <repo root>
//   render-dir holds external-postgres.yaml and existing-secret.yaml (from helm/cvd-planner/ci/),
//   demo-on.yaml (the defaults with demo.enabled=true) and gpu.yaml (values-gpu.yaml).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import assert from "node:assert/strict";
import { SLACK_SECONDS, settingProblems, stopSettings } from "./service-settings.mjs";

const [nodeDir, renderDir, root] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(nodeDir), "package.json"));
const YAML = require("yaml");

let checks = 0;
let failures = 0;

function check(name, fn) {
  checks++;
  try {
    fn();
  } catch (e) {
    failures++;
    console.error(`FAIL ${name}: ${e.message.split("\n")[0]}`);
  }
}

function load(file) {
  const text = readFileSync(path.join(renderDir, file), "utf8");
  return YAML.parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o && o.kind);
}

function model(apiVersion, kind) {
  // "v1" -> kubernetes-models/v1/Secret, "apps/v1" -> kubernetes-models/apps/v1/Deployment
  return require(`kubernetes-models/${apiVersion}/${kind}`)[kind];
}

function checkRender(file, expect) {
  const objects = load(file);
  const of = (kind) => objects.filter((o) => o.kind === kind);

  for (const o of objects) {
    // custom resources (ServiceMonitor) have no schema in kubernetes-models; checked below
    if (o.apiVersion === "monitoring.coreos.com/v1") continue;
    check(`${file}: ${o.kind}/${o.metadata?.name} matches the Kubernetes schema`, () => {
      const Model = model(o.apiVersion, o.kind);
      new Model(o).validate();
    });
  }

  const [deployment] = of("Deployment");
  const [service] = of("Service");
  // the settings ConfigMap (the dashboard's, when enabled, is checked below)
  const [configMap] = of("ConfigMap").filter((c) => !c.metadata.name.endsWith("-dashboard"));
  check(`${file}: one Deployment, Service and ConfigMap`, () => {
    assert.equal(of("Deployment").length, 1);
    assert.equal(of("Service").length, 1);
    assert.equal(of("ConfigMap").filter((c) => !c.metadata.name.endsWith("-dashboard")).length, 1);
  });
  if (!deployment || !service || !configMap) return;

  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;
  const env = Object.fromEntries(container.env.map((e) => [e.name, e]));
  const podLabels = deployment.spec.template.metadata.labels;

  check(`${file}: selectors match the pod labels`, () => {
    for (const [k, v] of Object.entries(deployment.spec.selector.matchLabels)) assert.equal(podLabels[k], v, k);
    for (const [k, v] of Object.entries(service.spec.selector)) assert.equal(podLabels[k], v, k);
  });
  check(`${file}: the Service targets the container's http port 8080`, () => {
    const port = container.ports.find((p) => p.name === service.spec.ports[0].targetPort);
    assert.equal(port?.containerPort, 8080);
    assert.equal(env.PORT?.value, "8080");
  });
  check(`${file}: probes on Actuator health groups`, () => {
    assert.equal(container.startupProbe.httpGet.path, "/actuator/health/liveness");
    assert.equal(container.livenessProbe.httpGet.path, "/actuator/health/liveness");
    assert.equal(container.readinessProbe.httpGet.path, "/actuator/health/readiness");
    for (const p of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
      assert.equal(p.httpGet.port, "http");
    }
  });
  check(`${file}: datasource from environment, embedded database off`, () => {
    assert.equal(env.CVD_PLANNER_EMBEDDED_DATABASE_ENABLED?.value, "false");
    for (const name of ["SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD"]) {
      assert.ok(env[name], `${name} missing`);
    }
    assert.ok(env.SPRING_DATASOURCE_PASSWORD.valueFrom?.secretKeyRef, "the password must come from a Secret");
    assert.equal(env.SPRING_DATASOURCE_PASSWORD.value, undefined);
  });
  check(`${file}: Secret references resolve within the release`, () => {
    for (const e of container.env) {
      const ref = e.valueFrom?.secretKeyRef;
      if (!ref) continue;
      const secret = of("Secret").find((s) => s.metadata.name === ref.name);
      if (expect.externalSecret === ref.name) continue;
      assert.ok(secret, `${e.name}: Secret ${ref.name} is not rendered`);
      assert.ok(ref.key in (secret.stringData ?? secret.data ?? {}), `${e.name}: key ${ref.key} missing in ${ref.name}`);
    }
  });
  // the CPU limit in whole cores, and the jobs that share it (the ConfigMap's concurrency)
  const cpu = String(container.resources?.limits?.cpu ?? "");
  const cores = Math.floor((cpu.endsWith("m") ? Number(cpu.slice(0, -1)) / 1000 : Number(cpu)) || 0);
  const concurrency = YAML.parse(configMap.data["application.yaml"])?.["cvd-planner"]?.jobs?.concurrency ?? 2;
  check(`${file}: ND4J threads (OMP_NUM_THREADS ${expect.omp}) tied to the CPU limit, and JVM flags`, () => {
    assert.ok(cores >= 1, `CPU limit ${cpu}`);
    assert.equal(env.OMP_NUM_THREADS?.value, String(expect.omp));
    if (expect.ompAuto) assert.equal(Number(env.OMP_NUM_THREADS.value), Math.max(1, Math.floor(cores / concurrency)));
    assert.ok(Number(env.OMP_NUM_THREADS.value) <= cores, "more ND4J threads than the CPU limit");
    assert.match(env.JDK_JAVA_OPTIONS?.value ?? "", /-XX:\+UseSerialGC/);
    assert.match(env.JDK_JAVA_OPTIONS.value, /-XX:MaxRAMPercentage=\d+/);
    assert.match(env.JDK_JAVA_OPTIONS.value, /-Dorg\.bytedeco\.javacpp\.cachedir=\/tmp\//);
  });
  check(`${file}: settings ConfigMap is mounted and loaded`, () => {
    const settings = YAML.parse(configMap.data["application.yaml"]);
    assert.equal(typeof settings, "object");
    const volume = pod.volumes.find((v) => v.configMap?.name === configMap.metadata.name);
    assert.ok(volume, "ConfigMap volume missing");
    const mount = container.volumeMounts.find((m) => m.name === volume.name);
    assert.equal(env.SPRING_CONFIG_ADDITIONAL_LOCATION?.value, `optional:file:${mount.mountPath}/`);
  });
  check(`${file}: non-root, read-only root file system, writable /tmp`, () => {
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.ok(pod.securityContext.runAsUser > 0);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    const tmp = container.volumeMounts.find((m) => m.mountPath === "/tmp");
    assert.ok(pod.volumes.find((v) => v.name === tmp?.name)?.emptyDir, "/tmp must be an emptyDir");
  });
  // what the service sees: plain env values over the ConfigMap's application.yaml
  const envValues = Object.fromEntries(container.env.filter((e) => "value" in e).map((e) => [e.name, e.value]));
  const settings = YAML.parse(configMap.data["application.yaml"]) ?? {};
  check(`${file}: grace period covers preStop and the job engine's real shutdown`, () => {
    const preStop = Number(container.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
    // the engine waits shutdown-wait for running jobs, interrupts them and waits as long again;
    // then the HTTP drain; then db-scheduler's own threads and the connection pool
    const stop = stopSettings({ root, YAML, env: envValues, extraConfig: settings });
    assert.ok(pod.terminationGracePeriodSeconds >= preStop + stop.worstStop,
      `${pod.terminationGracePeriodSeconds} s < ${preStop} + 2 x ${stop.shutdownWait} + ${stop.drain} + ${SLACK_SECONDS} s`);
  });
  check(`${file}: job settings exist and bind (CVD_PLANNER_JOBS_SHUTDOWN_WAIT set, no db-scheduler.*)`, () => {
    const problems = settingProblems({ root, YAML, env: envValues, extraConfig: settings });
    if (!envValues.CVD_PLANNER_JOBS_SHUTDOWN_WAIT) problems.push("CVD_PLANNER_JOBS_SHUTDOWN_WAIT is not set");
    assert.ok(problems.length === 0, problems.join("; "));
  });
  check(`${file}: demo pipeline ${expect.demo ? "on" : "off"}`, () => {
    assert.equal(envValues.CVD_PLANNER_DEMO_ENABLED, expect.demo ? "true" : "false");
  });
  check(`${file}: rolling update keeps every replica serving`, () => {
    assert.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0);
  });
  check(`${file}: resources set`, () => {
    assert.ok(container.resources.requests.cpu);
    assert.ok(container.resources.requests.memory);
    assert.ok(container.resources.limits.memory);
  });
  check(`${file}: Prometheus scrape annotations on the pods`, () => {
    const a = deployment.spec.template.metadata.annotations;
    assert.equal(a["prometheus.io/scrape"], "true");
    assert.equal(a["prometheus.io/path"], "/actuator/prometheus");
    assert.equal(a["prometheus.io/port"], "8080");
  });
  check(`${file}: the JDBC URL asks for TLS (sslmode)`, () => {
    const url = env.SPRING_DATASOURCE_URL.value
      ?? of("Secret").find((s) => s.metadata.name === env.SPRING_DATASOURCE_URL.valueFrom?.secretKeyRef?.name)
        ?.stringData?.[env.SPRING_DATASOURCE_URL.valueFrom.secretKeyRef.key];
    if (expect.externalSecret && url === undefined) return; // the URL lives in the user's Secret
    assert.match(url, new RegExp(`[?&]sslmode=${expect.sslmode}(&|$)`));
  });
  check(`${file}: a NetworkPolicy lets in only the API port and out only DNS and PostgreSQL`, () => {
    const [policy] = of("NetworkPolicy");
    assert.ok(policy, "NetworkPolicy missing");
    for (const [k, v] of Object.entries(policy.spec.podSelector.matchLabels)) assert.equal(podLabels[k], v, k);
    assert.deepEqual(policy.spec.policyTypes, ["Ingress", "Egress"]);
    assert.equal(policy.spec.ingress.length, 1);
    assert.deepEqual(policy.spec.ingress[0].ports, [{ port: "http", protocol: "TCP" }]);
    for (const rule of policy.spec.egress) assert.ok(rule.ports?.length > 0, "an egress rule without ports allows everything");
    const ports = policy.spec.egress.flatMap((r) => r.ports.map((p) => `${p.port}/${p.protocol}`)).sort();
    assert.deepEqual(ports, ["53/TCP", "53/UDP", `${expect.pgPort ?? 5432}/TCP`].sort());
  });
  expect.more(objects, { deployment, container, env, configMap, of, pod });
}

checkRender("external-postgres.yaml", {
  omp: 2,
  ompAuto: true,
  sslmode: "verify-full",
  more(objects, { deployment, container, env, configMap, of, pod }) {
    check("external-postgres: the chart's Secret holds the JDBC URL from the values", () => {
      const [secret] = of("Secret");
      assert.equal(secret.stringData.url,
        "jdbc:postgresql://postgres.databases.svc.cluster.local:5432/cvd_planner"
        + "?sslmode=verify-full&sslrootcert=/etc/cvd-planner-db-ca/ca.crt&ApplicationName=cvd-planner");
      assert.equal(secret.stringData.username, "cvd_planner");
      assert.equal(env.SPRING_DATASOURCE_URL.valueFrom.secretKeyRef.name, secret.metadata.name);
    });
    check("external-postgres: replicas, image and a PodDisruptionBudget", () => {
      assert.equal(deployment.spec.replicas, 3);
      assert.equal(container.image,
        "registry.example.org/cvd-planner@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
      const [pdb] = of("PodDisruptionBudget");
      assert.ok(pdb, "PodDisruptionBudget missing");
      assert.deepEqual(pdb.spec.selector.matchLabels, deployment.spec.selector.matchLabels);
    });
    check("external-postgres: config values reach application.yaml", () => {
      const settings = YAML.parse(configMap.data["application.yaml"]);
      assert.equal(settings.logging.level["org.cvdplanner"], "DEBUG");
      assert.equal(settings["cvd-planner"].jobs.concurrency, 1);
      assert.equal(env.CVD_PLANNER_JOBS_SHUTDOWN_WAIT.value, "45s");
      assert.equal(deployment.spec.template.spec.terminationGracePeriodSeconds, 150);
    });
    check("external-postgres: the database CA is mounted where sslrootcert points", () => {
      const volume = pod.volumes.find((v) => v.secret?.secretName === "postgres-ca");
      assert.ok(volume, "no volume of Secret postgres-ca");
      const mount = container.volumeMounts.find((m) => m.name === volume.name);
      assert.equal(mount.readOnly, true);
      assert.equal(`${mount.mountPath}/${volume.secret.items[0].path}`, "/etc/cvd-planner-db-ca/ca.crt");
      assert.equal(volume.secret.items[0].key, "ca.crt");
    });
    check("external-postgres: the NetworkPolicy uses the given peers", () => {
      const [policy] = of("NetworkPolicy");
      assert.equal(policy.spec.ingress[0].from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"], "ingress-nginx");
      const db = policy.spec.egress.find((r) => r.ports.some((p) => p.port === 5432));
      assert.equal(db.to[0].ipBlock.cidr, "10.20.0.0/16");
    });
    check("external-postgres: an Ingress with TLS to the Service's http port", () => {
      const [ingress] = of("Ingress");
      assert.ok(ingress, "Ingress missing");
      assert.equal(ingress.spec.ingressClassName, "nginx");
      assert.deepEqual(ingress.spec.tls, [{ hosts: ["cvd.example.org"], secretName: "cvd-tls" }]);
      const [service] = of("Service");
      const backend = ingress.spec.rules[0].http.paths[0].backend.service;
      assert.equal(ingress.spec.rules[0].host, "cvd.example.org");
      assert.equal(backend.name, service.metadata.name);
      assert.equal(backend.port.name, "http");
    });
    check("external-postgres: a ServiceMonitor scrapes /actuator/prometheus of the Service", () => {
      const [monitor] = of("ServiceMonitor");
      assert.ok(monitor, "ServiceMonitor missing");
      const [service] = of("Service");
      for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) assert.equal(service.metadata.labels[k], v, k);
      assert.deepEqual(monitor.spec.namespaceSelector.matchNames, ["cvd"]);
      assert.equal(monitor.spec.endpoints[0].port, "http");
      assert.equal(monitor.spec.endpoints[0].path, "/actuator/prometheus");
      assert.equal(monitor.metadata.labels.release, "prometheus");
    });
    check("external-postgres: the Grafana dashboard ConfigMap carries the sidecar label and the repository's dashboard", () => {
      const dashboard = of("ConfigMap").find((c) => c.metadata.name.endsWith("-dashboard"));
      assert.ok(dashboard, "dashboard ConfigMap missing");
      assert.equal(dashboard.metadata.labels.grafana_dashboard, "1");
      const json = JSON.parse(dashboard.data["cvd-planner.json"]);
      const file = JSON.parse(readFileSync(path.join(root, "helm/cvd-planner/dashboards/cvd-planner.json"), "utf8"));
      assert.deepEqual(json, file);
      assert.ok(json.panels.length > 10);
      for (const p of json.panels) assert.ok(p.targets.every((t) => /\S/.test(t.expr)), `panel ${p.title} has an empty query`);
    });
  },
});

checkRender("existing-secret.yaml", {
  externalSecret: "cvd-planner-db",
  omp: 1,
  ompAuto: true,
  more(objects, { deployment, env, configMap, of }) {
    check("existing-secret: no chart Secret, every datasource part from the user's Secret", () => {
      assert.equal(of("Secret").length, 0);
      const refs = ["URL", "USERNAME", "PASSWORD"].map((p) => env[`SPRING_DATASOURCE_${p}`].valueFrom.secretKeyRef);
      assert.deepEqual(refs.map((r) => r.name), ["cvd-planner-db", "cvd-planner-db", "cvd-planner-db"]);
      assert.deepEqual(refs.map((r) => r.key), ["jdbc-url", "user", "pass"]);
    });
    check("existing-secret: one replica, no PodDisruptionBudget", () => {
      assert.equal(deployment.spec.replicas, 1);
      assert.equal(of("PodDisruptionBudget").length, 0);
    });
    check("existing-secret: the shorter HTTP drain reaches application.yaml", () => {
      const settings = YAML.parse(configMap.data["application.yaml"]);
      assert.equal(settings.spring.lifecycle["timeout-per-shutdown-phase"], "10s");
      assert.equal(env.CVD_PLANNER_JOBS_SHUTDOWN_WAIT.value, "20s");
    });
  },
});

checkRender("demo-on.yaml", {
  demo: true,
  omp: 1,
  ompAuto: true,
  sslmode: "require",
  more(objects, { of }) {
    check("defaults: no Ingress, no ServiceMonitor", () => {
      assert.equal(of("Ingress").length, 0);
      assert.equal(of("ServiceMonitor").length, 0);
    });
  },
});

checkRender("gpu.yaml", {
  omp: 4,
  ompAuto: true,
  sslmode: "require",
  more(objects, { deployment, container, of, pod }) {
    check("gpu: one NVIDIA GPU, the CUDA image, tolerating GPU taints, one job at a time", () => {
      assert.equal(String(container.resources.limits["nvidia.com/gpu"]), "1");
      assert.match(container.image, /^cvd-planner-cuda:/);
      assert.ok(pod.tolerations.some((t) => t.key === "nvidia.com/gpu"));
      assert.equal(deployment.spec.replicas, 1);
      assert.equal(of("PodDisruptionBudget").length, 0);
    });
  },
});

console.log(`manifest checks: ${checks - failures} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
