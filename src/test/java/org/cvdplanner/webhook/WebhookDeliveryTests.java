package org.cvdplanner.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cvdplanner.testkit.TestHttp.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.cvdplanner.TestDatabaseConfiguration;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** Webhooks against a real local receiver: signatures, retries, a hanging receiver, 1,000 events, crash recovery. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cvd-planner.webhooks.enabled=true",
        "cvd-planner.webhooks.poll-interval=100ms",
        "cvd-planner.webhooks.request-timeout=5s",
        "cvd-planner.webhooks.first-retry=200ms",
        "cvd-planner.webhooks.max-retry-interval=1s",
        "cvd-planner.webhooks.secret-encryption-key=" + WebhookDeliveryTests.SECRET_KEY,
        // a context of its own (the delivery loop is on): a queue of its own too
        "cvd-planner.jobs.queue=webhook-tests",
        "cvd-planner.jobs.instance-name=webhook-tests"})
@Import(TestDatabaseConfiguration.class)
// closed after the class: its delivery worker would otherwise go on sending other tests' deliveries
// (WebhookKillTests needs its killed service to be the only worker)
@DirtiesContext
class WebhookDeliveryTests {

    static final String SECRET_KEY = "q4Bq0p3rXh0eO9m3cX1l0pJt8s3d7QeC2vX9bZ1yA5U=";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    WebhookStore store;

    TestReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new TestReceiver();
        jdbc.update("update webhook_subscription set disabled_at = now() where disabled_at is null");
    }

    @AfterEach
    void stop() {
        jdbc.update("update webhook_subscription set disabled_at = now() where disabled_at is null");
        jdbc.update("delete from job where type = 'webhook-test'");
        receiver.close();
    }

    JsonNode post(String path, String body, int expected) {
        TestHttp.Response r = TestHttp.at(port).post(path, body);
        assertThat(r.status()).as(r.body()).isEqualTo(expected);
        return r.body().isEmpty() ? null : r.json();
    }

    JsonNode get(String path) {
        return TestHttp.at(port).get(path).json();
    }

    JsonNode subscribe(String path, String... types) {
        String list = String.join(",", java.util.Arrays.stream(types).map(t -> "\"" + t + "\"").toList());
        return post("/api/v1/webhooks", "{\"url\":\"" + receiver.url(path) + "\",\"eventTypes\":[" + list + "]}", 201);
    }

    /** The documented check, written independently of the service's signer. */
    static boolean verify(String secret, String id, String timestamp, String body, String signatureHeader) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        return List.of(signatureHeader.split(" ")).contains(expected);
    }

    /** What reached a path about the jobs this test finished (other tests' jobs may end meanwhile). */
    List<TestReceiver.Received> ours(String path) {
        return receiver.at(path).stream().filter(r -> r.body().contains("\"jobType\":\"webhook-test\"")).toList();
    }

    /** Finishes {@code n} jobs in one statement: the trigger writes n events in that transaction. */
    void finishJobs(int n) {
        jdbc.update("insert into job (id, type, status, parameters, seed, request_hash) select gen_random_uuid(),"
                + " 'webhook-test', 'RUNNING', '{}', 1, 'webhook-test' from generate_series(1, ?)", n);
        jdbc.update("update job set status = 'SUCCEEDED', finished_at = now() where type = 'webhook-test' and status = 'RUNNING'");
    }

    @Test
    void aFinishedJobIsDeliveredSignedTheStandardWebhooksWay() throws Exception {
        JsonNode subscription = subscribe("/ok", "job.succeeded", "job.failed");
        String secret = subscription.get("secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(get("/api/v1/webhooks/" + subscription.get("id").asString()).toString()).doesNotContain(secret);
        // sealed at rest (AES-GCM under the configured key), opened only to sign
        String stored = jdbc.queryForObject("select secret from webhook_subscription where id = ?::uuid", String.class,
                subscription.get("id").asString());
        assertThat(stored).startsWith("aesgcm:v1:").doesNotContain(secret.substring("whsec_".length()));
        JsonNode job = post("/api/v1/jobs/diagnostic-counter", "{\"target\": 2, \"stepDelayMs\": 1}", 202);
        String jobId = job.get("id").asString();
        await("the delivery", Duration.ofSeconds(30), () -> receiver.at("/ok").stream().anyMatch(r -> r.body().contains(jobId)));
        TestReceiver.Received got = receiver.at("/ok").stream().filter(r -> r.body().contains(jobId)).findFirst().orElseThrow();
        assertThat(verify(secret, got.id(), got.timestamp(), got.body(), got.signature())).isTrue();
        assertThat(verify(secret, got.id(), got.timestamp(), got.body().replace("SUCCEEDED", "FAILED"), got.signature())).isFalse();
        assertThat(Math.abs(Long.parseLong(got.timestamp()) - System.currentTimeMillis() / 1000)).isLessThan(60);
        JsonNode body = TestHttp.JSON.readTree(got.body());
        assertThat(body.get("type").asString()).isEqualTo("job.succeeded");
        assertThat(body.get("data").get("jobId").asString()).isEqualTo(jobId);
        assertThat(body.get("data").get("location").asString()).isEqualTo("/api/v1/jobs/" + jobId);
        // the job's reference (none here) travels with its events
        assertThat(body.get("data").has("externalRef")).isTrue();
    }

    @Test
    void aReceiverThatFailsThreeTimesGetsEachEventExactlyOnceSuccessfullyAndTheLogShowsEveryAttempt() throws Exception {
        JsonNode subscription = subscribe("/flaky", "job.succeeded");
        finishJobs(5);
        await("five successes", Duration.ofSeconds(60),
                () -> ours("/flaky").stream().filter(r -> r.answered() == 200).count() >= 5);
        Thread.sleep(1500); // time for a wrong second success to show up
        Map<String, List<TestReceiver.Received>> byId = ours("/flaky").stream()
                .collect(Collectors.groupingBy(TestReceiver.Received::id));
        assertThat(byId).hasSize(5);
        byId.values().forEach(attempts -> {
            assertThat(attempts).hasSize(4);
            assertThat(attempts.stream().filter(r -> r.answered() == 200).count()).isEqualTo(1);
        });
        JsonNode log = get("/api/v1/webhooks/" + subscription.get("id").asString() + "/deliveries");
        String oneOfOurs = byId.keySet().iterator().next();
        JsonNode delivery = null;
        for (JsonNode item : log.get("items")) {
            if (("msg_" + item.get("eventId").asString()).equals(oneOfOurs)) {
                delivery = item;
            }
        }
        assertThat(delivery).as("delivery of %s in the log", oneOfOurs).isNotNull();
        assertThat(delivery.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(4);
        assertThat(delivery.get("log").size()).isEqualTo(4);
        assertThat(delivery.get("log").get(0).get("statusCode").asInt()).isEqualTo(500);
        assertThat(delivery.get("log").get(3).get("statusCode").asInt()).isEqualTo(200);
        assertThat(delivery.get("log").get(0).has("latencyMs")).isTrue();

        // manual redelivery sends it once more
        long id = delivery.get("id").asLong();
        post("/api/v1/webhooks/deliveries/" + id + "/redeliver", "", 202);
        String eventId = "msg_" + delivery.get("eventId").asString();
        await("the redelivery", Duration.ofSeconds(10), () -> receiver.at("/flaky").stream()
                .filter(r -> r.id().equals(eventId)).count() == 5);
    }

    @Test
    void aHangingReceiverDoesNotHoldUpAnother() throws Exception {
        subscribe("/hang", "job.succeeded");
        subscribe("/ok", "job.succeeded");
        long start = System.nanoTime();
        finishJobs(3);
        await("the healthy receiver", Duration.ofSeconds(10), () -> ours("/ok").size() >= 3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void oneThousandEventsAreDeliveredWithNoDuplicateSuccess() throws Exception {
        subscribe("/ok", "job.succeeded");
        long start = System.nanoTime();
        finishJobs(1000);
        await("1,000 deliveries", Duration.ofSeconds(120), () -> ours("/ok").size() >= 1000);
        Thread.sleep(1500);
        double seconds = (System.nanoTime() - start) / 1e9;
        var ids = ours("/ok").stream().map(TestReceiver.Received::id).toList();
        assertThat(ids).hasSize(1000).doesNotHaveDuplicates();
        assertThat(jdbc.queryForObject("select count(*) from webhook_delivery d join webhook_subscription s on s.id = d.subscription_id"
                + " join webhook_event e on e.id = d.event_id where s.disabled_at is null and d.state = 'SUCCEEDED'"
                + " and e.data ->> 'jobType' = 'webhook-test'", Integer.class)).isEqualTo(1000);
        System.out.printf("webhooks: 1,000 events delivered in %.1f s, no duplicate%n", seconds);
    }

    @Test
    void aChangeThatRollsBackPublishesNothingAndADeliveryLeasedByACrashedWorkerIsSentAfterItsLease() throws Exception {
        subscribe("/ok", "job.succeeded");
        Integer events = jdbc.queryForObject("select count(*) from webhook_event", Integer.class);
        try {
            transactions.executeWithoutResult(status -> {
                finishJobs(2);
                throw new IllegalStateException("roll back");
            });
        } catch (IllegalStateException expected) {
            // the change and its events are gone together
        }
        assertThat(jdbc.queryForObject("select count(*) from webhook_event", Integer.class)).isEqualTo(events);

        // a worker that leased deliveries and died before sending them (kill -9): this test takes
        // the lease itself and never sends; racing the real worker is fine, either way every
        // event must arrive exactly once
        finishJobs(3);
        var leased = store.lease(10, Duration.ofSeconds(3));
        long start = System.nanoTime();
        await("the deliveries whose lease ran out", Duration.ofSeconds(30), () -> ours("/ok").size() >= 3);
        if (!leased.isEmpty()) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(2500));
        }
        Thread.sleep(1000);
        assertThat(ours("/ok").stream().map(TestReceiver.Received::id).toList()).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void badSubscriptionsAre400NamingTheFieldAndStoreNothing() {
        Integer before = jdbc.queryForObject("select count(*) from webhook_subscription", Integer.class);
        JsonNode ftp = post("/api/v1/webhooks", "{\"url\":\"ftp://lims.example.org/x\",\"eventTypes\":[\"job.succeeded\"]}", 400);
        assertThat(ftp.get("field").asString()).isEqualTo("url");
        JsonNode relative = post("/api/v1/webhooks", "{\"url\":\"/hooks\",\"eventTypes\":[\"job.succeeded\"]}", 400);
        assertThat(relative.get("field").asString()).isEqualTo("url");
        JsonNode type = post("/api/v1/webhooks", "{\"url\":\"https://lims.example.org/x\",\"eventTypes\":[\"job.exploded\"]}", 400);
        assertThat(type.get("field").asString()).isEqualTo("eventTypes");
        JsonNode none = post("/api/v1/webhooks", "{\"url\":\"https://lims.example.org/x\",\"eventTypes\":[]}", 400);
        assertThat(none.get("field").asString()).isEqualTo("eventTypes");
        assertThat(jdbc.queryForObject("select count(*) from webhook_subscription", Integer.class)).isEqualTo(before);
    }
}
