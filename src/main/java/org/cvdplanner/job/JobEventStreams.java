package org.cvdplanner.job;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.cvdplanner.system.ApiProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of jobs. One thread polls the job table for every job someone follows
 * (the job may run on any instance, so the database is the source) and sends {@code status},
 * {@code progress} and {@code metric} events; the stream ends after the terminal status. At most
 * {@code maxEventStreams} streams are open at once.
 */
@Component
class JobEventStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobEventStreams.class);

    private final JobRepository repository;
    private final JobService jobs;
    private final JobsProperties properties;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService poller;

    JobEventStreams(JobRepository repository, JobService jobs, JobsProperties properties) {
        this.repository = repository;
        this.jobs = jobs;
        this.properties = properties;
    }

    record StatusEvent(UUID id, JobStatus status, int attempts, String instance, boolean cancelRequested,
            Object result, String error) {
    }

    record ProgressEvent(UUID id, Long done, Long total, String unit, Double fraction) {
    }

    record MetricEvent(UUID id, String name, long step, double value) {
    }

    private final class Subscription {
        final UUID jobId;
        final SseEmitter emitter;
        JobStatus status;
        int attempts = -1;
        boolean cancelRequested;
        Long done;
        Long total;
        long metricSeq;

        Subscription(UUID jobId, SseEmitter emitter) {
            this.jobId = jobId;
            this.emitter = emitter;
        }

        /** Sends what changed; false when the stream is finished. */
        synchronized boolean update(JobRecord job) {
            try {
                JobView view = jobs.view(job, null);
                if (!Objects.equals(done, job.progressDone()) || !Objects.equals(total, job.progressTotal())) {
                    done = job.progressDone();
                    total = job.progressTotal();
                    if (view.progress() != null) {
                        var p = view.progress();
                        emitter.send(SseEmitter.event().name("progress")
                                .data(new ProgressEvent(job.id(), p.done(), p.total(), p.unit(), p.fraction())));
                    }
                }
                for (JobRepository.MetricPoint m : repository.metrics(job.id(), metricSeq)) {
                    metricSeq = m.seq();
                    emitter.send(SseEmitter.event().name("metric")
                            .data(new MetricEvent(job.id(), m.name(), m.step(), m.value())));
                }
                if (job.status() != status || job.attempts() != attempts || job.cancelRequested() != cancelRequested) {
                    status = job.status();
                    attempts = job.attempts();
                    cancelRequested = job.cancelRequested();
                    emitter.send(SseEmitter.event().name("status").data(new StatusEvent(job.id(), job.status(),
                            job.attempts(), job.instance(), job.cancelRequested(), view.result(), job.error())));
                }
                if (job.status().isTerminal()) {
                    emitter.complete();
                    return false;
                }
                return true;
            } catch (IOException | IllegalStateException e) {
                // the client went away
                emitter.completeWithError(e);
                return false;
            }
        }
    }

    SseEmitter subscribe(UUID jobId) {
        JobRecord job = repository.find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
        if (subscriptions.size() >= properties.maxEventStreams()) {
            // every stream costs a servlet connection and a share of the poll; past the cap the
            // client polls GET /jobs/{id} or comes back later
            throw new ApiProblemException(HttpStatus.SERVICE_UNAVAILABLE, "too-many-event-streams", "Too many event streams",
                    "this instance already serves " + properties.maxEventStreams() + " job event streams; retry later or poll "
                            + "GET /api/v1/jobs/" + jobId).retryAfter(10);
        }
        SseEmitter emitter = new SseEmitter(properties.eventStreamTimeout().toMillis());
        Subscription subscription = new Subscription(jobId, emitter);
        emitter.onCompletion(() -> subscriptions.remove(subscription));
        emitter.onTimeout(() -> {
            subscriptions.remove(subscription);
            emitter.complete();
        });
        emitter.onError(e -> subscriptions.remove(subscription));
        if (subscription.update(job)) {
            subscriptions.add(subscription);
        }
        return emitter;
    }

    private void poll() {
        try {
            if (subscriptions.isEmpty()) {
                return;
            }
            Set<UUID> ids = subscriptions.stream().map(s -> s.jobId).collect(Collectors.toSet());
            Map<UUID, JobRecord> jobsById = repository.findAll(ids).stream()
                    .collect(Collectors.toMap(JobRecord::id, Function.identity()));
            for (Subscription s : List.copyOf(subscriptions)) {
                JobRecord job = jobsById.get(s.jobId);
                if (job == null || !s.update(job)) {
                    if (job == null) {
                        s.emitter.complete();
                    }
                    subscriptions.remove(s);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Job event poll failed: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void start() {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "job-events");
            t.setDaemon(true);
            return t;
        });
        long period = properties.eventPollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
        // open streams would hold up the web server's graceful shutdown; clients reconnect elsewhere
        for (Subscription s : List.copyOf(subscriptions)) {
            s.emitter.complete();
        }
        subscriptions.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return poller != null;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
