package org.cvdplanner.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.cvdplanner.TestDatabase;
import org.cvdplanner.testkit.ServiceProcesses;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

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

    private final ServiceProcesses services = new ServiceProcesses(List.of("-XX:TieredStopAtLevel=1"),
            "--cvd-planner.jobs.queue=webhook-kill-tests",
            "--cvd-planner.webhooks.enabled=true",
            "--cvd-planner.webhooks.poll-interval=100ms",
            "--cvd-planner.webhooks.max-in-flight=8",
            "--cvd-planner.webhooks.request-timeout=2s",
            "--cvd-planner.webhooks.first-retry=200ms",
            "--cvd-planner.webhooks.max-retry-interval=1s");
    private final JdbcTemplate jdbc = TestDatabase.jdbcTemplate();
    private TestReceiver receiver;
    private String subscriptionId;

    @AfterEach
    void stop() throws InterruptedException {
        services.close();
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
        int port = ServiceProcesses.freePort();
        long started = System.nanoTime();
        ServiceProcesses.Instance first = services.start("webhook-kill-a", port);
        long firstStartMs = (System.nanoTime() - started) / 1_000_000;
        // only this test's subscription gets events from now on (the service has migrated the schema)
        jdbc.update("update webhook_subscription set disabled_at = now() where disabled_at is null");

        TestHttp.Response created = first.http().post("/api/v1/webhooks",
                "{\"url\":\"" + receiver.url("/slow") + "\",\"eventTypes\":[\"job.succeeded\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        subscriptionId = created.json().get("id").asString();

        // the changes: EVENTS jobs end in one transaction (the trigger writes the events with it)
        jdbc.update("insert into job (id, type, status, parameters, seed, request_hash) select gen_random_uuid(), ?,"
                + " 'RUNNING', '{}', 1, ? from generate_series(1, ?)", JOB_TYPE, JOB_TYPE, EVENTS);
        jdbc.update("update job set status = 'SUCCEEDED', finished_at = now() where type = ? and status = 'RUNNING'", JOB_TYPE);
        Set<String> events = new HashSet<>(jdbc.queryForList("select 'msg_' || event_id from webhook_delivery"
                + " where subscription_id = ?::uuid", String.class, subscriptionId));
        assertThat(events).hasSize(EVENTS);

        // kill -9 while some are delivered, some in flight and the rest pending
        TestHttp.await("a first share of the deliveries", Duration.ofSeconds(30), () -> ours().size() >= EVENTS / 5);
        first.kill();
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
        ServiceProcesses.Instance second = services.start("webhook-kill-b", port);
        TestHttp.await("every delivery recorded SUCCEEDED", Duration.ofSeconds(60), () -> jdbc.queryForObject(
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

        second.process().destroy();
        assertThat(second.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    /** What reached the receiver about this test's jobs. */
    private List<TestReceiver.Received> ours() {
        return receiver.at("/slow").stream().filter(r -> r.body().contains("\"jobType\":\"" + JOB_TYPE + "\"")).toList();
    }
}
