// What the CI checks need to know about the service's own settings, read from the sources so
// that the checks follow the code instead of a copy of it:
//  - the job engine's settings: the record org.cvdplanner.job.JobsProperties
//    (cvd-planner.jobs.*: component names and @DefaultValue defaults),
//  - the packaged src/main/resources/application.yml (spring.lifecycle.timeout-per-shutdown-phase,
//    db-scheduler.enabled, any cvd-planner.jobs.* set there),
// and how long a graceful stop can take (see docs/deploy.md, "Stopping"):
//
//   SIGTERM -> SSE streams closed -> job engine: running jobs are asked to checkpoint and hand
//   themselves back; db-scheduler waits shutdown-wait, interrupts the job threads and waits
//   shutdown-wait again (Executor.stop -> ExecutorUtils.shutdownAndAwaitTermination(wait, wait))
//   -> HTTP drain (at most spring.lifecycle.timeout-per-shutdown-phase) -> beans closed.
//
// The engine's stop is synchronous, so the phase timeout does not cut it short: the worst case
// is 2 x shutdown-wait + drain + SLACK_SECONDS.
import { readFileSync } from "node:fs";
import path from "node:path";
import assert from "node:assert/strict";

// db-scheduler's poller and housekeeper (heartbeats, dead detection) executors are each given
// 1 s, then interrupted and given 5 s more (Scheduler.stop(1 s, 5 s)): up to 12 s when one is
// stuck in a database call; closing JPA, the connection pool (and an embedded PostgreSQL) took
// well under 1 s in every measured stop. 15 s covers both.
export const SLACK_SECONDS = 15;

/** Seconds in a Spring Boot Duration: "20s", "500ms", "1m", "PT20S"; a bare number is ms. */
export function springSeconds(value) {
  const text = String(value).trim();
  const simple = /^([+-]?\d+)(ns|us|ms|s|m|h|d)?$/i.exec(text);
  if (simple) {
    const unit = (simple[2] ?? "ms").toLowerCase();
    return Number(simple[1]) * { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 }[unit];
  }
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text);
  assert.ok(iso && text.length > 1, `cannot read the duration "${value}"`);
  const [, d = 0, h = 0, m = 0, s = 0] = iso;
  return Number(d) * 86400 + Number(h) * 3600 + Number(m) * 60 + Number(s);
}

export const kebab = (camel) => camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const envName = (prefix, camel) => `${prefix}_${camel.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** The components of the record JobsProperties: name -> default (undefined when none). */
export function jobsProperties(root) {
  const file = path.join(root, "src/main/java/org/cvdplanner/job/JobsProperties.java");
  const source = readFileSync(file, "utf8");
  assert.match(source, /@ConfigurationProperties\("cvd-planner\.jobs"\)/, `${file}: not bound to cvd-planner.jobs`);
  const body = /record\s+JobsProperties\s*\(([\s\S]*?)\)\s*\{/.exec(source);
  assert.ok(body, `${file}: record JobsProperties(...) not found`);
  const components = {};
  for (const part of body[1].split(",")) {
    const name = /(\w+)\s*$/.exec(part.trim())?.[1];
    assert.ok(name, `${file}: cannot read the component "${part.trim()}"`);
    components[name] = /@DefaultValue\("([^"]*)"\)/.exec(part)?.[1];
  }
  assert.ok("shutdownWait" in components, `${file}: no shutdownWait component`);
  return components;
}

export function applicationYml(root, YAML) {
  return YAML.parse(readFileSync(path.join(root, "src/main/resources/application.yml"), "utf8")) ?? {};
}

const get = (object, ...keys) => keys.reduce((o, k) => (o == null ? undefined : o[k]), object);

/**
 * The effective stop-related settings of one deployment, by Spring's precedence: environment
 * variables, then an extra application.yaml (the chart's ConfigMap), then the packaged
 * application.yml, then the record's defaults.
 */
export function stopSettings({ root, YAML, env = {}, extraConfig = {} }) {
  const packaged = applicationYml(root, YAML);
  const defaults = jobsProperties(root);
  const jobsSetting = (camel) =>
    env[envName("CVD_PLANNER_JOBS", camel)] ??
    get(extraConfig, "cvd-planner", "jobs", kebab(camel)) ??
    get(extraConfig, "cvd-planner", "jobs", camel) ??
    get(packaged, "cvd-planner", "jobs", kebab(camel)) ??
    defaults[camel];
  const drain =
    env.SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE ??
    get(extraConfig, "spring", "lifecycle", "timeout-per-shutdown-phase") ??
    get(packaged, "spring", "lifecycle", "timeout-per-shutdown-phase") ??
    "30s"; // Spring Boot's default
  const shutdownWait = jobsSetting("shutdownWait");
  return {
    shutdownWait: springSeconds(shutdownWait),
    shutdownWaitText: String(shutdownWait),
    drain: springSeconds(drain),
    /** the longest a graceful stop may take, preStop excluded */
    worstStop: 2 * springSeconds(shutdownWait) + springSeconds(drain) + SLACK_SECONDS,
  };
}

/**
 * Settings that do nothing (db-scheduler's starter is off: the engine builds its own scheduler
 * from cvd-planner.jobs.*) or that do not bind (a misspelt cvd-planner.jobs.* name is ignored by
 * Spring without a word). Returns a list of complaints.
 */
export function settingProblems({ root, YAML, env = {}, extraConfig = {} }) {
  const problems = [];
  const components = Object.keys(jobsProperties(root));
  const packaged = applicationYml(root, YAML);
  if (get(packaged, "db-scheduler", "enabled") !== false) {
    problems.push("application.yml no longer sets db-scheduler.enabled=false: these checks assume the job engine's own scheduler");
  }
  for (const name of Object.keys(env)) {
    if (name.startsWith("DB_SCHEDULER_")) problems.push(`${name} has no effect: the job engine is configured by cvd-planner.jobs.* (CVD_PLANNER_JOBS_*)`);
    if (name.startsWith("CVD_PLANNER_JOBS_") && !components.some((c) => envName("CVD_PLANNER_JOBS", c) === name)) {
      problems.push(`${name} names no setting of JobsProperties (${components.map(kebab).join(", ")})`);
    }
  }
  if (extraConfig?.["db-scheduler"] !== undefined) {
    problems.push("db-scheduler.* in the configuration has no effect (or starts a second scheduler): use cvd-planner.jobs.*");
  }
  for (const key of Object.keys(get(extraConfig, "cvd-planner", "jobs") ?? {})) {
    if (!components.some((c) => c === key || kebab(c) === key)) {
      problems.push(`cvd-planner.jobs.${key} names no setting of JobsProperties`);
    }
  }
  return problems;
}
