// Checks the Dockerfile and docker-compose.yml as far as a machine without a Docker engine can:
//  1. static: what they promise (Temurin 17 JDK -> JRE on glibc, layered jar, non-root user,
//     OMP_NUM_THREADS=1 and JVM flags, EXPOSE 8080, HEALTHCHECK on Actuator health, a data
//     volume; compose: PostgreSQL 16 with pg_isready, the service on it with a health check,
//     the job engine's settings (cvd-planner.jobs.*, read from JobsProperties) binding, a
//     stop_grace_period that covers the engine's real shutdown, no demo pipeline),
//  2. with --build: the build stage's own COPY and RUN instructions, read from the Dockerfile
//     and run in a temporary folder standing for its WORKDIR, with this machine's JDK 17 and
//     Maven cache instead of the image's,
//  3. with --run (after --build): the runtime stage's COPY --from=build layers assembled into a
//     folder standing for /app, its ENTRYPOINT started with its ENV as its non-root uid, its
//     HEALTHCHECK command polled until healthy, the probes read, a diagnostic job started, then
//     a SIGTERM: the job must be handed back to the queue before the embedded PostgreSQL stops,
//     and the service must exit within the stop budget computed from the job engine's settings
//     (.ci/service-settings.mjs).
// What stays unverified: the base images themselves, apt-get in the image, BuildKit's cache
// mount and the image's file ownership; see docs/deploy.md.
//
// Usage: node container-check.mjs <dir with node_modules> <repo root> [--build [--run]]
import { createRequire } from "node:module";
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import assert from "node:assert/strict";
import { SLACK_SECONDS, settingProblems, springSeconds, stopSettings } from "./service-settings.mjs";

const [toolsDir, root, ...flags] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(toolsDir), "package.json"));
const { DockerfileParser } = require("dockerfile-ast");
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

// ---------------------------------------------------------------------------------------------
// Dockerfile, read into stages
// ---------------------------------------------------------------------------------------------
const dockerfile = DockerfileParser.parse(readFileSync(path.join(root, "Dockerfile"), "utf8"));
const globalArgs = {};
const stages = [];
for (const i of dockerfile.getInstructions()) {
  const keyword = i.getKeyword();
  if (keyword === "FROM") {
    const [image] = i.getArguments().map((a) => a.getValue());
    const resolved = image.replace(/\$\{(\w+)\}/g, (_, name) => globalArgs[name] ?? "");
    stages.push({ name: i.getBuildStage(), image: resolved, instructions: [], args: {} });
    continue;
  }
  const stage = stages.at(-1);
  if (keyword === "ARG") {
    const p = i.getProperty();
    (stage ? stage.args : globalArgs)[p.getName()] = p.getValue();
    continue;
  }
  assert.ok(stage, `${keyword} before the first FROM`);
  stage.instructions.push(i);
}
const byName = Object.fromEntries(stages.map((s) => [s.name, s]));
const of = (stage, keyword) => stage.instructions.filter((i) => i.getKeyword() === keyword);
const flag = (i, name) => i.getFlags().find((f) => f.getName() === name)?.getValue();
const workdir = (stage) => of(stage, "WORKDIR").at(-1)?.getArguments()[0].getValue();
const env = (stage) =>
  Object.fromEntries(of(stage, "ENV").flatMap((i) => i.getProperties().map((p) => [p.getName(), p.getValue()])));

const build = byName.build;
const runtime = byName.runtime;
check("Dockerfile: two stages, build and runtime", () => {
  assert.deepEqual(stages.map((s) => s.name), ["build", "runtime"]);
});
check("Dockerfile: Temurin 17 JDK to build, Temurin 17 JRE to run, both glibc (not alpine)", () => {
  assert.match(build.image, /^eclipse-temurin:17(\.[\d.]+(_\d+)?)?-jdk(-(jammy|noble|focal|ubi\d.*))?$/);
  assert.match(runtime.image, /^eclipse-temurin:17(\.[\d.]+(_\d+)?)?-jre(-(jammy|noble|focal|ubi\d.*))?$/);
});
check("Dockerfile: built with the Maven wrapper, layers extracted for the launcher", () => {
  const runs = of(build, "RUN").map((i) => i.getArgumentsContent());
  assert.ok(runs.some((r) => /\.\/mvnw -B .*package/.test(r)), "no ./mvnw package");
  assert.ok(runs.some((r) => /java -Djarmode=tools -jar \S+ extract --layers --launcher/.test(r)), "no layer extraction");
});
check("Dockerfile: the four layers copied from the build stage, least changed first", () => {
  const copies = of(runtime, "COPY").filter((i) => flag(i, "from") === "build");
  const layers = copies.map((i) => path.basename(i.getArguments()[0].getValue()));
  assert.deepEqual(layers, ["dependencies", "spring-boot-loader", "snapshot-dependencies", "application"]);
});
check("Dockerfile: runs as a non-root user", () => {
  const user = of(runtime, "USER").at(-1)?.getArguments()[0].getValue();
  assert.ok(user && !["root", "0"].includes(user.split(":")[0]), `USER ${user}`);
  assert.ok(Number(runtime.args.APP_UID) > 0);
});
check("Dockerfile: ND4J threads and JVM flags", () => {
  const e = env(runtime);
  assert.equal(e.OMP_NUM_THREADS, "1");
  assert.match(e.JDK_JAVA_OPTIONS, /-XX:\+UseSerialGC/);
  assert.match(e.JDK_JAVA_OPTIONS, /-XX:MaxRAMPercentage=\d+/);
});
check("Dockerfile: EXPOSE 8080, a volume for the embedded database's data", () => {
  const e = env(runtime);
  assert.deepEqual(of(runtime, "EXPOSE").map((i) => i.getArguments()[0].getValue()), ["8080"]);
  assert.equal(e.PORT, "8080");
  const volumes = of(runtime, "VOLUME").flatMap((i) => i.getJSONStrings().map((s) => s.getJSONValue()));
  assert.ok(volumes.includes(e.CVD_PLANNER_DATA_DIR), `VOLUME ${volumes} does not hold ${e.CVD_PLANNER_DATA_DIR}`);
});
check("Dockerfile: HEALTHCHECK on /actuator/health, ENTRYPOINT the Boot launcher", () => {
  const [hc] = of(runtime, "HEALTHCHECK");
  assert.match(hc.getArgumentsContent(), /^CMD .*\/actuator\/health/);
  const entrypoint = of(runtime, "ENTRYPOINT").at(-1).getJSONStrings().map((s) => s.getJSONValue());
  assert.deepEqual(entrypoint, ["java", "org.springframework.boot.loader.launch.JarLauncher"]);
});

// ---------------------------------------------------------------------------------------------
// docker-compose.yml
// ---------------------------------------------------------------------------------------------
const compose = YAML.parse(readFileSync(path.join(root, "docker-compose.yml"), "utf8"));
const seconds = (d) => {
  let total = 0;
  for (const [, n, unit] of String(d).matchAll(/(\d+)(ms|h|m|s)/g)) {
    total += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit];
  }
  return total;
};
check("compose: PostgreSQL 16 with pg_isready and a named volume", () => {
  const pg = compose.services.postgres;
  assert.match(pg.image, /^postgres:16(\.|-|$)/);
  assert.match(pg.healthcheck.test.join(" "), /pg_isready/);
  const [volume] = pg.volumes[0].split(":");
  assert.ok(volume in compose.volumes, `${volume} is not a named volume`);
  assert.equal(pg.volumes[0].split(":")[1], "/var/lib/postgresql/data");
});
check("compose: the service is built here, waits for a healthy PostgreSQL and uses it", () => {
  const app = compose.services["cvd-planner"];
  assert.equal(app.build, ".");
  assert.equal(app.depends_on.postgres.condition, "service_healthy");
  assert.match(app.environment.SPRING_DATASOURCE_URL, /^jdbc:postgresql:\/\/postgres:5432\//);
  assert.ok(app.environment.SPRING_DATASOURCE_USERNAME);
  assert.ok(app.environment.SPRING_DATASOURCE_PASSWORD);
  assert.equal(app.environment.CVD_PLANNER_EMBEDDED_DATABASE_ENABLED, "false");
  assert.equal(app.environment.SPRING_DATASOURCE_PASSWORD, compose.services.postgres.environment.POSTGRES_PASSWORD);
  assert.match(app.healthcheck.test.join(" "), /\/actuator\/health/);
});
check("compose: stop_grace_period covers the release of running jobs and the HTTP drain", () => {
  const app = compose.services["cvd-planner"];
  // the engine's shutdown-wait from the environment, else application.yml, else JobsProperties
  const stop = stopSettings({ root, YAML, env: app.environment });
  assert.ok(seconds(app.stop_grace_period) >= stop.worstStop,
    `stop_grace_period ${app.stop_grace_period} < 2 x shutdown-wait ${stop.shutdownWait} s + drain ${stop.drain} s + ${SLACK_SECONDS} s`);
});
check("compose: the job settings exist and bind (no db-scheduler.* settings, no misspelt CVD_PLANNER_JOBS_*)", () => {
  const app = compose.services["cvd-planner"];
  const problems = settingProblems({ root, YAML, env: app.environment });
  if (!("CVD_PLANNER_JOBS_SHUTDOWN_WAIT" in app.environment)) problems.push("CVD_PLANNER_JOBS_SHUTDOWN_WAIT is not set");
  assert.ok(problems.length === 0, problems.join("; "));
});
check("compose: no demo pipeline", () => {
  assert.equal(compose.services["cvd-planner"].environment.CVD_PLANNER_DEMO_ENABLED, "false");
});
check("compose: no default secrets (the password is a required variable)", () => {
  const required = /^\$\{POSTGRES_PASSWORD:\?[^}]+\}$/;
  assert.match(compose.services.postgres.environment.POSTGRES_PASSWORD, required);
  assert.match(compose.services["cvd-planner"].environment.SPRING_DATASOURCE_PASSWORD, required);
});
check("compose: the API is published on 127.0.0.1 unless CVD_PLANNER_BIND says otherwise; PostgreSQL is not published", () => {
  const ports = compose.services["cvd-planner"].ports;
  assert.equal(ports.length, 1);
  assert.match(ports[0], /^\$\{CVD_PLANNER_BIND:-127\.0\.0\.1\}:\$\{CVD_PLANNER_PORT:-8080\}:8080$/);
  assert.equal(compose.services.postgres.ports, undefined);
});
check("compose: PostgreSQL pinned to a 16.x minor release", () => {
  assert.match(compose.services.postgres.image, /^postgres:16\.\d+(-[a-z]+)?(@sha256:[0-9a-f]{64})?$/);
});
check("compose: memory limits on both containers, CPU limit on the service", () => {
  for (const name of ["postgres", "cvd-planner"]) {
    assert.match(String(compose.services[name].mem_limit ?? ""), /^(\$\{[A-Z_]+:-)?\d+[kmg]\}?$/, `${name} mem_limit`);
  }
  assert.ok(compose.services["cvd-planner"].cpus, "cpus");
});
check("compose: the service runs non-root on a read-only root file system, no capabilities, /tmp writable", () => {
  const app = compose.services["cvd-planner"];
  const [uid] = String(app.user).split(":");
  assert.ok(Number(uid) > 0, `user ${app.user}`);
  assert.equal(Number(uid), Number(runtime.args.APP_UID), "user is the image's APP_UID");
  assert.equal(app.read_only, true);
  assert.deepEqual(app.cap_drop, ["ALL"]);
  assert.ok(app.security_opt.includes("no-new-privileges:true"));
  assert.ok(app.tmpfs.some((t) => t.split(":")[0] === "/tmp"), "tmpfs /tmp");
  assert.match(app.environment.JDK_JAVA_OPTIONS, /-Dorg\.bytedeco\.javacpp\.cachedir=\/tmp\//);
  assert.match(app.healthcheck.test.join(" "), /\/actuator\/health\/readiness/);
});
check("compose: every variable it reads is documented in .env.example; .env is not committed", () => {
  const text = readFileSync(path.join(root, "docker-compose.yml"), "utf8");
  const example = readFileSync(path.join(root, ".env.example"), "utf8");
  const used = new Set([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
  for (const name of used) assert.match(example, new RegExp(`^#?${name}=`, "m"), `${name} is not in .env.example`);
  assert.match(example, /^POSTGRES_PASSWORD=$/m, ".env.example must not hold a password");
  assert.match(readFileSync(path.join(root, ".gitignore"), "utf8"), /^\.env$/m);
});

if (failures > 0 || !flags.includes("--build")) finish();

// ---------------------------------------------------------------------------------------------
// --build: the build stage's COPY and RUN, outside Docker
// ---------------------------------------------------------------------------------------------
const work = mkdtempSync(path.join(os.tmpdir(), "cvd-container-check-"));
chmodSync(work, 0o755);
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

const stand = (dir) => path.join(work, dir); // a folder standing for an absolute path in the image
const buildDir = stand(workdir(build));
mkdirSync(buildDir, { recursive: true });
console.log(`container-check: build stage in ${buildDir} (stands for ${workdir(build)})`);
for (const i of of(build, "COPY")) {
  // Docker's rules: a folder's contents go into the destination; files go into it when it ends
  // with "/" or there are several sources, else they take its name.
  const args = i.getArguments().map((a) => a.getValue());
  const rawDest = args.pop();
  const dest = path.join(buildDir, rawDest);
  for (const src of args) {
    const from = path.join(root, src);
    assert.ok(existsSync(from), `COPY source ${src} missing`);
    const intoDest = statSync(from).isDirectory() || !(rawDest.endsWith("/") || args.length > 1);
    cpSync(from, intoDest ? dest : path.join(dest, path.basename(src)), { recursive: true });
  }
}
for (const i of of(build, "RUN")) {
  const command = i.getArgumentsContent();
  console.log(`container-check: RUN ${command.replace(/\s+/g, " ")}`);
  const started = Date.now();
  const result = spawnSync("sh", ["-c", command], { cwd: buildDir, stdio: "inherit" });
  check(`build stage: RUN ${command.split(" ").slice(0, 3).join(" ")} ... succeeds`, () => assert.equal(result.status, 0));
  if (result.status !== 0) finish();
  console.log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
const runtimeCopies = of(runtime, "COPY").filter((i) => flag(i, "from") === "build");
check("build stage: every layer the runtime stage copies exists and the launcher is in its layer", () => {
  for (const i of runtimeCopies) {
    const src = path.join(work, i.getArguments()[0].getValue());
    assert.ok(existsSync(src), `${i.getArguments()[0].getValue()} missing`);
  }
  const layer = (name) => path.join(buildDir, "extracted", name);
  assert.ok(existsSync(path.join(layer("spring-boot-loader"), "org/springframework/boot/loader/launch/JarLauncher.class")));
  assert.ok(readdirSync(path.join(layer("dependencies"), "BOOT-INF/lib")).some((f) => f.startsWith("nd4j-native")));
  assert.ok(existsSync(path.join(layer("application"), "BOOT-INF/classes/org/cvdplanner/CvdPlannerApplication.class")));
  assert.ok(readdirSync(path.join(layer("application"), "BOOT-INF/classes/db/migration")).some((f) => /^V\d.*\.sql$/.test(f)));
});

if (failures > 0 || !flags.includes("--run")) finish();

// ---------------------------------------------------------------------------------------------
// --run: the runtime stage's layout, ENV, user, ENTRYPOINT and HEALTHCHECK
// ---------------------------------------------------------------------------------------------
const appDir = stand(workdir(runtime));
mkdirSync(appDir, { recursive: true });
for (const i of runtimeCopies) {
  const [src, dest] = i.getArguments().map((a) => a.getValue());
  cpSync(path.join(work, src), path.join(appDir, dest), { recursive: true });
}
spawnSync("chmod", ["-R", "a+rX", work]);
const uid = Number(runtime.args.APP_UID);
const asUser = process.getuid() === 0 && spawnSync("setpriv", ["--version"]).status === 0;
const writable = (dir) => {
  mkdirSync(dir, { recursive: true });
  if (asUser) chownSync(dir, uid, uid);
  return dir;
};
const port = await new Promise((resolve) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const ADMIN_KEY = "container-check-admin-key-0123456789abcdef";
const imageEnv = env(runtime);
const runEnv = {
  PATH: process.env.PATH,
  ...imageEnv,
  // differences from the image, each because this is not a container:
  HOME: writable(stand("home/cvd")), // the image's user has this home
  CVD_PLANNER_DATA_DIR: writable(stand(imageEnv.CVD_PLANNER_DATA_DIR)), // the volume
  PORT: String(port), // a free port instead of the container's own 8080
  JDK_JAVA_OPTIONS: `${imageEnv.JDK_JAVA_OPTIONS} -Djava.io.tmpdir=${writable(stand("tmp"))}`, // a private /tmp
  // and because this is a check: the demo pipeline would take the job threads the check's own job needs
  CVD_PLANNER_DEMO_ENABLED: "false",
  // and an admin key, as a deployment would set from its secrets (every call but health needs one)
  CVD_PLANNER_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
  // the diagnostic job is off in production; the check needs a job that runs until SIGTERM
  CVD_PLANNER_JOBS_DIAGNOSTICS_ENABLED: "true",
};
const entrypoint = of(runtime, "ENTRYPOINT").at(-1).getJSONStrings().map((s) => s.getJSONValue());
const command = asUser ? ["setpriv", `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", ...entrypoint] : entrypoint;
console.log(`container-check: ${command.join(" ")} in ${appDir}${asUser ? ` as uid ${uid}` : ""}, PORT=${port}`);
const started = Date.now();
const app = spawn(command[0], command.slice(1), { cwd: appDir, env: runEnv, stdio: ["ignore", "pipe", "pipe"] });
let log = "";
app.stdout.on("data", (d) => (log += d));
app.stderr.on("data", (d) => (log += d));
let exited = null;
const exit = new Promise((resolve) => app.on("exit", (code, signal) => resolve((exited = { code, signal }))));
process.on("exit", () => exited || app.kill("SIGKILL"));

const [hc] = of(runtime, "HEALTHCHECK");
const hcCommand = hc.getArgumentsContent().replace(/^CMD\s+/, "");
const hcShell = (extra = {}) => spawnSync("sh", ["-c", hcCommand], { env: { ...runEnv, ...extra }, stdio: "ignore" }).status;
const limit = seconds(flag(hc, "start-period")) + seconds(flag(hc, "interval")) * Number(flag(hc, "retries"));
let healthy = false;
while (!exited && (Date.now() - started) / 1000 < limit) {
  if (hcShell() === 0) {
    healthy = true;
    break;
  }
  await new Promise((r) => setTimeout(r, 1000));
}
const startup = (Date.now() - started) / 1000;
const get = (p, key = ADMIN_KEY) => spawnSync("curl", ["-s", "-w", "\n%{http_code}", ...(key ? ["-H", `Authorization: Bearer ${key}`] : []),
  `http://127.0.0.1:${port}${p}`], { encoding: "utf8" }).stdout;
check(`runtime: HEALTHCHECK passes within start-period + interval x retries (${limit} s)`, () => {
  assert.ok(healthy, exited ? `the service exited (${JSON.stringify(exited)})` : "not healthy in time");
});
if (healthy) {
  console.log(`  healthy after ${startup.toFixed(1)} s`);
  check("runtime: liveness and readiness groups answer UP", () => {
    for (const p of ["/actuator/health/liveness", "/actuator/health/readiness"]) {
      assert.match(get(p), /"status":"UP"[\s\S]*\n200$/, p);
    }
  });
  check("runtime: Swagger UI is served", () => assert.match(get("/swagger-ui/index.html", null), /\n200$/));
  check("runtime: the API needs a key (401 without, 200 with the bootstrap admin key)", () => {
    assert.match(get("/api/v1/jobs", null), /\n401$/);
    assert.match(get("/api/v1/jobs"), /\n200$/);
  });
  check("runtime: the embedded PostgreSQL keeps its data in CVD_PLANNER_DATA_DIR", () => {
    assert.ok(existsSync(path.join(runEnv.CVD_PLANNER_DATA_DIR, "postgres", "PG_VERSION")));
  });
  check("runtime: the HEALTHCHECK command fails when nothing answers", () => {
    assert.notEqual(hcShell({ PORT: "1" }), 0);
  });
}
// A job running at SIGTERM must be checkpointed and handed back to the queue while the database
// (here the embedded PostgreSQL, closed by the context after the beans that use it) is still up.
let jobId = null;
if (healthy) {
  const body = JSON.stringify({ target: 200, stepDelayMs: 100 });
  const submitted = spawnSync("curl", ["-s", "-X", "POST", "-H", "Content-Type: application/json",
    "-H", `Authorization: Bearer ${ADMIN_KEY}`, "-d", body,
    `http://127.0.0.1:${port}/api/v1/jobs/diagnostic-counter`], { encoding: "utf8" }).stdout;
  let job = null;
  try {
    jobId = JSON.parse(submitted).id ?? null;
  } catch {
    // reported below
  }
  const polling = Date.now();
  while (jobId && !exited && Date.now() - polling < 30_000) {
    try {
      job = JSON.parse(get(`/api/v1/jobs/${jobId}`).replace(/\n\d+$/, ""));
    } catch {
      job = null;
    }
    if (job?.status === "RUNNING" && job.progress?.done >= 1) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  check("runtime: a diagnostic-counter job is submitted and runs", () => {
    assert.ok(jobId, `POST /api/v1/jobs/diagnostic-counter answered ${submitted}`);
    assert.equal(job?.status, "RUNNING", `not running after 30 s: ${JSON.stringify(job)}`);
  });
  if (job?.status !== "RUNNING") jobId = null;
}
// the longest a stop may take with the image's settings (no preStop here)
const stop = stopSettings({ root, YAML, env: runEnv });
const stopping = Date.now();
app.kill("SIGTERM");
const stopped = await Promise.race([exit, new Promise((r) => setTimeout(() => r(null), stop.worstStop * 1000))]);
check(`runtime: SIGTERM stops the service cleanly within 2 x shutdown-wait + drain + ${SLACK_SECONDS} s (${stop.worstStop} s)`, () => {
  assert.ok(stopped, `still running ${stop.worstStop} s after SIGTERM`);
  assert.ok(stopped.code === 143 || stopped.code === 0, `exit ${JSON.stringify(stopped)}`);
});
console.log(`  stopped ${((Date.now() - stopping) / 1000).toFixed(1)} s after SIGTERM`);
if (jobId) {
  check(`runtime: the job engine waits the shutdown-wait these checks assume (${stop.shutdownWaitText})`, () => {
    // every db-scheduler in the service logs its wait (the job engine's and the webhook worker's):
    // the job engine's is the shutdown-wait, and none may wait longer than the grace period assumes
    const waits = [...log.matchAll(/Will wait up to 2x(\S+?)\.?\s*$/gm)].map((m) => m[1]);
    assert.ok(waits.length > 0, "db-scheduler's 'Will wait up to 2x...' is not in the log");
    assert.ok(waits.some((w) => springSeconds(w) === stop.shutdownWait), `logged ${waits.join(", ")}`);
    assert.ok(waits.every((w) => springSeconds(w) <= stop.shutdownWait),
      `a scheduler waits longer than the shutdown-wait: ${waits.join(", ")}`);
  });
  check("runtime: the running job is handed back to the queue before the embedded PostgreSQL stops", () => {
    const released = log.indexOf(`Job ${jobId} (diagnostic-counter) handed back to the queue`);
    const databaseStopped = log.search(/shut down postmaster/);
    assert.ok(released >= 0, `job ${jobId} was not handed back`);
    assert.ok(databaseStopped >= 0, "the embedded PostgreSQL's stop is not in the log");
    assert.ok(released < databaseStopped, "PostgreSQL stopped before the job was handed back");
  });
}
if (failures > 0) console.error(log.split("\n").slice(-60).join("\n"));
finish();

function finish() {
  console.log(`container checks: ${checks - failures} passed, ${failures} failed`);
  process.exit(failures === 0 ? 0 : 1);
}
