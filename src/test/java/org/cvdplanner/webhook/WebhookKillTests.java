package org.cvdplanner.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.cvdplanner.CvdPlannerApplication;
import org.cvdplanner.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real crash: the service runs as a separate JVM delivering webhooks to a local receiver,
 * is killed with SIGKILL while deliveries are pending and in flight, and is started again. Every
 * event must reach the receiver with a 2xx, each delivery must be recorded SUCCEEDED once, and
 * an event may reach the receiver with a 2xx twice only when it was in flight at the kill (the
 * receiver answered, the dead service never recorded it) and then with the same webhook-id.
 */
class WebhookKillTests {

    static final String JOB_TYPE = "webhook-kill-test";
    static final int EVENTS = 400;

    private final List<Process> processes = new ArrayList<>();
    private final JdbcTemplate jdbc = jdbc();
    private final HttpClient client = HttpClient.newHttpClient();
    private TestReceiver receiver;
    private String subscriptionId;

    private static JdbcTemplate jdbc() {
        var db = TestDatabase.connectionDetails();
        return new JdbcTemplate(new DriverManagerDataSource(db.getJdbcUrl(), db.getUsername(), db.getPassword()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
        if (subscriptionId != null) {
            jdbc.update("update webhook_subscription set disabled_at = now() where disabled_at is null");
            jdbc.update("delete from job where type = ?", JOB_TYPE);
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aServiceKilledWhileDeliveringLosesNoEventAndSendsNoneTwiceButThoseInFlight() throws Exception {
        receiver = new TestReceiver();
        int port = freePort();
        long started = System.nanoTime();
        Process first = start(port, "webhook-kill-a");
        awaitHealthy(port, first);
        long firstStartMs = (System.nanoTime() - started) / 1_000_000;
        // only this test's subscription gets events from now on (the service has migrated the schema)
        jdbc.update("update webhook_subscription set disabled_at = now() where disabled_at is null");

        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/webhooks"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"url\":\"" + receiver.url("/slow") + "\",\"eventTypes\":[\"job.succeeded\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        subscriptionId = JsonMapper.shared().readTree(created.body()).get("id").asString();

        // the changes: EVENTS jobs end in one transaction (the trigger writes the events with it)
        jdbc.update("insert into job (id, type, status, parameters, seed, request_hash) select gen_random_uuid(), ?,"
                + " 'RUNNING', '{}', 1, ? from generate_series(1, ?)", JOB_TYPE, JOB_TYPE, EVENTS);
        jdbc.update("update job set status = 'SUCCEEDED', finished_at = now() where type = ? and status = 'RUNNING'", JOB_TYPE);
        Set<String> events = new HashSet<>(jdbc.queryForList("select 'msg_' || event_id from webhook_delivery"
                + " where subscription_id = ?::uuid", String.class, subscriptionId));
        assertThat(events).hasSize(EVENTS);

        // kill -9 while some are delivered, some in flight and the rest pending
        await("a first share of the deliveries", Duration.ofSeconds(30), () -> ours().size() >= EVENTS / 5);
        first.destroyForcibly();
        first.waitFor();
        Thread.sleep(300); // answers to requests sent just before the kill still arrive at the receiver
        int receivedAtKill = ours().size();
        Map<String, Integer> state = jdbc.queryForList("select case when state = 'PENDING' and attempts > 0"
                + " and next_attempt_at > now() then 'IN_FLIGHT' else state end as s, count(*) as n from webhook_delivery"
                + " where subscription_id = ?::uuid group by 1", subscriptionId).stream()
                .collect(Collectors.toMap(r -> (String) r.get("s"), r -> ((Number) r.get("n")).intValue()));
        Set<String> inFlightAtKill = new HashSet<>(jdbc.queryForList("select 'msg_' || event_id from webhook_delivery"
                + " where subscription_id = ?::uuid and state = 'PENDING' and attempts > 0 and next_attempt_at > now()",
                String.class, subscriptionId));
        assertThat(state.getOrDefault("PENDING", 0) + state.getOrDefault("IN_FLIGHT", 0))
                .as("the kill came before everything was delivered: " + state).isPositive();

        long restartAt = System.nanoTime();
        Process second = start(port, "webhook-kill-b");
        awaitHealthy(port, second);
        await("every delivery recorded SUCCEEDED", Duration.ofSeconds(60), () -> jdbc.queryForObject(
                "select count(*) from webhook_delivery where subscription_id = ?::uuid and state = 'SUCCEEDED'",
                Integer.class, subscriptionId) == EVENTS);
        long recoveredMs = (System.nanoTime() - restartAt) / 1_000_000;
        Thread.sleep(500); // nothing more may arrive

        List<TestReceiver.Received> successes = ours().stream().filter(r -> r.answered() / 100 == 2).toList();
        Map<String, Long> perId = successes.stream().collect(Collectors.groupingBy(TestReceiver.Received::id,
                Collectors.counting()));
        Set<String> twice = perId.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        System.out.printf("webhook kill test: %d events, 1 kill (SIGKILL) after %d had reached the receiver; deliveries at"
                + " the kill %s; %d received in all, %d webhook-ids with two 2xx (all of them in flight at the kill: %s);"
                + " service start %d ms, all delivered %d ms after the restart began%n", EVENTS, receivedAtKill, state,
                ours().size(), twice.size(), inFlightAtKill.containsAll(twice), firstStartMs, recoveredMs);

        assertThat(perId.keySet()).as("every event reached the receiver with a 2xx").isEqualTo(events);
        assertThat(perId.values()).allMatch(n -> n <= 2);
        assertThat(inFlightAtKill).as("a resend only of what was in flight at the kill").containsAll(twice);
        assertThat(jdbc.queryForObject("select count(*) from webhook_attempt a join webhook_delivery d on d.id = a.delivery_id"
                + " where d.subscription_id = ?::uuid and a.status_code between 200 and 299", Integer.class, subscriptionId))
                .as("one recorded success per delivery").isEqualTo(EVENTS);

        second.destroy();
        assertThat(second.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    /** What reached the receiver about this test's jobs. */
    private List<TestReceiver.Received> ours() {
        return receiver.at("/slow").stream().filter(r -> r.body().contains("\"jobType\":\"" + JOB_TYPE + "\"")).toList();
    }

    private Process start(int port, String instance) throws IOException {
        var db = TestDatabase.connectionDetails();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createDirectories(Path.of("target", "kill-test")).resolve(instance + ".log");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CvdPlannerApplication.class.getName(),
                "--spring.datasource.url=" + db.getJdbcUrl(),
                "--spring.datasource.username=" + db.getUsername(),
                "--spring.datasource.password=" + db.getPassword(),
                "--cvd-planner.embedded-database.enabled=false",
                "--server.port=" + port,
                "--spring.main.banner-mode=off",
                "--cvd-planner.jobs.queue=webhook-kill-tests",
                "--cvd-planner.jobs.instance-name=" + instance,
                "--cvd-planner.webhooks.enabled=true",
                "--cvd-planner.webhooks.poll-interval=100ms",
                "--cvd-planner.webhooks.max-in-flight=8",
                "--cvd-planner.webhooks.request-timeout=2s",
                "--cvd-planner.webhooks.first-retry=200ms",
                "--cvd-planner.webhooks.max-retry-interval=1s")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private void awaitHealthy(int port, Process process) throws InterruptedException {
        await("the service on port " + port, Duration.ofSeconds(120), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + "; see target/kill-test/*.log");
            }
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
