package org.cvdplanner.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The delivery worker: a db-scheduler recurring task (one instance of a cluster runs each round)
 * leases due deliveries and sends them concurrently with the JDK HTTP client. Each answer is
 * recorded as it comes, so a receiver that hangs holds only its own deliveries (until the
 * request timeout), never the others. A 2xx is a success; anything else is retried with
 * exponential back-off until {@code giveUpAfter}. The webhook-id is the event's id on every
 * attempt, so a receiver can drop a repeat after a crash between its answer and our record.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final String TASK = "webhook-dispatch";

    private final WebhookStore store;
    private final WebhookProperties properties;
    private final JsonMapper json;
    private final DataSource dataSource;
    private final ExecutorService senders = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "webhook-sender");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http;
    private final Semaphore inFlight;
    private Scheduler scheduler;
    private volatile boolean running;

    private final WebhookSecrets secrets;

    WebhookDispatcher(WebhookStore store, WebhookProperties properties, JsonMapper json, DataSource dataSource,
            WebhookSecrets secrets) {
        this.secrets = secrets;
        this.store = store;
        this.properties = properties;
        this.json = json;
        this.dataSource = dataSource;
        this.inFlight = new Semaphore(properties.maxInFlight());
        this.http = HttpClient.newBuilder().connectTimeout(properties.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).executor(senders).build();
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            running = true;
            return;
        }
        int sealed = store.sealSecretsInClear();
        if (sealed > 0) {
            log.info("sealed {} webhook signing secret(s) stored in clear with the configured secret-encryption-key", sealed);
        }
        RecurringTask<Void> task = Tasks.recurring(TASK, FixedDelay.of(properties.pollInterval()))
                .execute((instance, context) -> {
                    try {
                        dispatchRound();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // shutting down
                    }
                });
        // stopped by Spring's lifecycle (before the database goes); a delivery cut short is leased
        // and goes out again, so waiting longer than one request's timeout gains nothing
        scheduler = Scheduler.create(dataSource).tableName("webhook_scheduled_tasks").startTasks(task)
                .threads(1).pollingInterval(properties.pollInterval())
                .heartbeatInterval(properties.heartbeatInterval()).missedHeartbeatsLimit(WebhookProperties.MISSED_HEARTBEATS)
                .shutdownMaxWait(properties.requestTimeout().plusSeconds(1)).build();
        scheduler.start();
        running = true;
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.stop();
        }
        senders.shutdown();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * One round: lease what is due, never more than there is room in flight for, and send it;
     * up to batchSize deliveries, waiting at most requestTimeout for room. Returns how many were sent.
     */
    int dispatchRound() throws InterruptedException {
        int sent = 0;
        long deadline = System.nanoTime() + properties.requestTimeout().toNanos();
        while (sent < properties.batchSize()) {
            int room = inFlight.drainPermits();
            if (room == 0) {
                if (System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(10);
                continue;
            }
            List<WebhookStore.Leased> leased;
            try {
                leased = store.lease(Math.min(room, properties.batchSize() - sent), properties.lease());
            } catch (RuntimeException e) {
                inFlight.release(room);
                throw e;
            }
            // a leased delivery keeps its permit until its answer is recorded
            inFlight.release(room - leased.size());
            leased.forEach(this::send);
            sent += leased.size();
            if (leased.size() < room) {
                break; // nothing more is due
            }
        }
        return sent;
    }

    private void send(WebhookStore.Leased delivery) {
        String id = "msg_" + delivery.eventId();
        long timestamp = Instant.now().getEpochSecond();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", delivery.type());
        payload.put("timestamp", delivery.eventAt().toString());
        payload.put("data", json.readTree(delivery.dataJson()));
        String body = json.writeValueAsString(payload);
        HttpRequest request;
        String secret;
        try {
            secret = secrets.open(delivery.secret());
        } catch (IllegalStateException e) {
            record(delivery, null, e.getMessage(), 0);
            return;
        }
        try {
            request = HttpRequest.newBuilder(URI.create(delivery.url())).timeout(properties.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("webhook-id", id)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", WebhookSignature.sign(secret, id, timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        } catch (IllegalArgumentException e) {
            record(delivery, null, "invalid URL: " + e.getMessage(), 0);
            return;
        }
        long started = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            int latency = (int) Duration.ofNanos(System.nanoTime() - started).toMillis();
            if (error != null) {
                record(delivery, null, error.getClass().getSimpleName() + ": " + error.getMessage(), latency);
            } else {
                record(delivery, response.statusCode(), null, latency);
            }
            return null;
        });
    }

    private void record(WebhookStore.Leased delivery, Integer status, String error, int latencyMs) {
        boolean succeeded = status != null && status >= 200 && status < 300;
        Instant now = Instant.now();
        Instant next = now.plus(properties.backoff(delivery.attempt()));
        boolean giveUp = !succeeded && next.isAfter(delivery.createdAt().plus(properties.giveUpAfter()));
        try {
            if (!store.record(delivery.id(), delivery.attempt(), status, error == null && !succeeded
                    ? "HTTP " + status : error, latencyMs, succeeded, next, giveUp)) {
                log.info("webhook delivery {} attempt {}: answer came after the lease ran out; not recorded",
                        delivery.id(), delivery.attempt());
            }
        } catch (RuntimeException e) {
            // the lease runs out and the delivery is sent again: at least once
            log.warn("webhook delivery {}: could not record attempt {}: {}", delivery.id(), delivery.attempt(), e.getMessage());
        } finally {
            inFlight.release();
        }
    }
}
