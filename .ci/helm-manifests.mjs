// Checks the manifests that `helm template` rendered from helm/cvd-planner:
//  1. every object against the Kubernetes OpenAPI schema (kubernetes-models: types, required
//     fields, enums; it does not reject unknown fields),
//  2. what the chart promises: probes on Actuator health, the datasource from a Secret, no
//     embedded database, no demo pipeline unless asked for, non-root with a read-only root file
//     system, job settings that exist and bind, a grace period that covers the job engine's
//     real shutdown (computed from JobsProperties, application.yml and the rendered settings by
//     .ci/service-settings.mjs, not from the chart's own arithmetic), and the settings of each
//     values file.
//
// Usage: node helm-manifests.mjs <dir with node_modules> <render-dir> <repo root>
//   render-dir holds external-postgres.yaml and existing-secret.yaml (from helm/cvd-planner/ci/)
//   and demo-on.yaml (the defaults with demo.enabled=true).
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
    check(`${file}: ${o.kind}/${o.metadata?.name} matches the Kubernetes schema`, () => {
      const Model = model(o.apiVersion, o.kind);
      new Model(o).validate();
    });
  }

  const [deployment] = of("Deployment");
  const [service] = of("Service");
  const [configMap] = of("ConfigMap");
  check(`${file}: one Deployment, Service and ConfigMap`, () => {
    assert.equal(of("Deployment").length, 1);
    assert.equal(of("Service").length, 1);
    assert.equal(of("ConfigMap").length, 1);
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
  check(`${file}: ND4J threads and JVM flags`, () => {
    assert.equal(env.OMP_NUM_THREADS?.value, "1");
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
  expect.more(objects, { deployment, container, env, configMap, of });
}

checkRender("external-postgres.yaml", {
  more(objects, { deployment, container, env, configMap, of }) {
    check("external-postgres: the chart's Secret holds the JDBC URL from the values", () => {
      const [secret] = of("Secret");
      assert.equal(secret.stringData.url,
        "jdbc:postgresql://postgres.databases.svc.cluster.local:5432/cvd_planner?sslmode=require");
      assert.equal(secret.stringData.username, "cvd_planner");
      assert.equal(env.SPRING_DATASOURCE_URL.valueFrom.secretKeyRef.name, secret.metadata.name);
    });
    check("external-postgres: replicas, image and a PodDisruptionBudget", () => {
      assert.equal(deployment.spec.replicas, 3);
      assert.equal(container.image, "registry.example.org/cvd-planner:0.1.0");
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
  },
});

checkRender("existing-secret.yaml", {
  externalSecret: "cvd-planner-db",
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
  more() {},
});

console.log(`manifest checks: ${checks - failures} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
