package org.cvdplanner.job;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.SchedulerState;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.cvdplanner.system.TransientFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs jobs on db-scheduler. One db-scheduler task (named by {@code cvd-planner.jobs.queue})
 * whose executions carry only the job id; this class turns an execution into a run of the job's
 * {@link JobHandler} and keeps the job table in step:
 * <ul>
 * <li>a run starts by incrementing {@code attempts} (its fencing token) and ends by a fenced
 * terminal write, so a stale run on another instance can never overwrite the current one;</li>
 * <li>a dead execution (no heartbeat for heartbeatInterval x missedHeartbeats) is revived at
 * its original place in the queue and resumes from its checkpoint; after maxAttempts dead runs
 * the job is FAILED;</li>
 * <li>on shutdown running jobs are asked to stop (they checkpoint) and are handed back to the
 * queue for another instance.</li>
 * </ul>
 */
@Component
class JobEngine implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobEngine.class);
    private static final int MAX_ERROR_LENGTH = 2000;

    private final JobRepository repository;
    private final JobHandlers handlers;
    private final JobsProperties properties;
    private final JsonMapper json;
    private final JobMetrics metrics;
    private final JobEngineMonitor monitor;
    private final String instanceName;
    private final CustomTask<Void> task;
    private final DataSource dataSource;
    private volatile Scheduler scheduler;
    private boolean stoppedBefore;
    private final Map<UUID, EngineJobContext> running = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;
    private volatile boolean started;

    private enum Outcome { REMOVE, RELEASE, RETRY_LATER, ABANDON }

    JobEngine(DataSource dataSource, JobRepository repository, JobHandlers handlers, JobsProperties properties,
            JsonMapper json, JobMetrics metrics, JobEngineMonitor monitor) {
        this.repository = repository;
        this.handlers = handlers;
        this.properties = properties;
        this.json = json;
        this.metrics = metrics;
        this.monitor = monitor;
        this.instanceName = properties.instanceName() != null && !properties.instanceName().isBlank()
                ? properties.instanceName() : defaultInstanceName();
        this.task = Tasks.custom(properties.queue(), Void.class)
                .onFailure(this::onFailure)
                .onDeadExecution(this::onDeadExecution)
                .execute(this::execute);
        this.dataSource = dataSource;
        this.scheduler = buildScheduler();
    }

    private Scheduler buildScheduler() {
        // transaction-aware: scheduling a job joins the transaction that inserts its row
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), List.of(task))
                .schedulerName(new SchedulerName.Fixed(instanceName))
                .threads(properties.concurrency())
                .pollingInterval(properties.pollingInterval())
                .heartbeatInterval(properties.heartbeatInterval())
                .missedHeartbeatsLimit(properties.missedHeartbeats())
                // fetch the due executions in order (no more than threads) and pick each one with an
                // optimistic lock just before it runs: the rest stay unpicked, so any instance with
                // a free thread can take them. (lock-and-fetch would also pick, and so disturb,
                // executions of other queues, which are unknown task names here.)
                .pollUsingFetch(0.5, 1.0)
                .enableImmediateExecution()
                .shutdownMaxWait(properties.shutdownWait())
                // executions of another queue are "unresolved" here; never delete them
                .deleteUnresolvedAfter(Duration.ofDays(365L * 100))
                .addSchedulerListener(monitor)
                .build();
    }

    String instanceName() {
        return instanceName;
    }

    String queue() {
        return properties.queue();
    }

    /** Adds the job's execution in the current transaction (its row must be inserted in it). */
    void schedule(UUID jobId) {
        scheduler.schedule(task.instance(jobId.toString()), Instant.now());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    scheduler.triggerCheckForDueExecutions();
                }
            });
        } else {
            scheduler.triggerCheckForDueExecutions();
        }
    }

    /** Asks a run on this instance to stop at its next boundary (the request is also in the database). */
    void cancelLocally(UUID jobId) {
        EngineJobContext context = running.get(jobId);
        if (context != null) {
            context.requestCancel();
        }
    }

    int runningCount() {
        return running.size();
    }

    SchedulerState schedulerState() {
        return scheduler.getSchedulerState();
    }

    /** Runs on this instance whose heartbeat could not be written for a while (db-scheduler's own judgement). */
    int staleHeartbeats() {
        return scheduler.getCurrentlyExecutingWithStaleHeartbeat().size();
    }

    private CompletionHandler<Void> execute(TaskInstance<Void> instance, ExecutionContext executionContext) {
        UUID jobId = UUID.fromString(instance.getId());
        Instant placeInQueue = executionContext.getExecution().executionTime;
        Outcome outcome = run(jobId, executionContext);
        return switch (outcome) {
            case REMOVE -> new CompletionHandler.OnCompleteRemove<>();
            case RELEASE -> (complete, operations) -> operations.reschedule(complete, placeInQueue);
            case RETRY_LATER -> (complete, operations) ->
                    operations.reschedule(complete, Instant.now().plus(properties.unknownTypeRetry()));
            case ABANDON -> (complete, operations) -> {
                // another instance took the job over; its execution is not ours to touch
            };
        };
    }

    private Outcome run(UUID jobId, ExecutionContext executionContext) {
        // the job's id in every log line of its run (structured logs: docs/operations.md)
        MDC.put("jobId", jobId.toString());
        try {
            return runLogged(jobId, executionContext);
        } finally {
            MDC.remove("jobId");
            MDC.remove("jobType");
        }
    }

    private Outcome runLogged(UUID jobId, ExecutionContext executionContext) {
        Optional<JobRecord> found = repository.find(jobId);
        if (found.isEmpty() || found.get().status().isTerminal()) {
            return Outcome.REMOVE;
        }
        JobRecord job = found.get();
        MDC.put("jobType", job.type());
        Optional<JobHandler<?>> handler = handlers.find(job.type());
        if (handler.isEmpty()) {
            log.warn("No handler for job type '{}' on {} (job {}); offering it again in {}", job.type(), instanceName,
                    jobId, properties.unknownTypeRetry());
            return Outcome.RETRY_LATER;
        }
        if (job.cancelRequested()) {
            repository.finishIdle(jobId, JobStatus.CANCELLED, null);
            return Outcome.REMOVE;
        }
        int deadRuns = job.attempts() - job.releases();
        if (deadRuns >= properties.maxAttempts()) {
            String reason = "gave up after " + deadRuns + " run(s) ended without finishing (the instance died or lost "
                    + "its heartbeat" + (job.instance() == null ? "" : "; last on " + job.instance()) + ")";
            log.warn("Job {} ({}): {}", jobId, job.type(), reason);
            metrics.gaveUp(job.type());
            repository.finishIdle(jobId, JobStatus.FAILED, reason);
            return Outcome.REMOVE;
        }
        Optional<Integer> token = repository.start(jobId, instanceName);
        if (token.isEmpty()) {
            // cancelled between the read and the start
            repository.find(jobId).filter(j -> j.cancelRequested() && !j.status().isTerminal())
                    .ifPresent(j -> repository.finishIdle(jobId, JobStatus.CANCELLED, null));
            return Outcome.REMOVE;
        }
        Instant firstStart = job.startedAt() == null ? Instant.now() : job.startedAt();
        Duration timeLeft = Duration.between(Instant.now(), firstStart.plus(properties.maxRuntime()));
        BooleanSupplier stopping = () -> shuttingDown || executionContext.getSchedulerState().isShuttingDown();
        byte[] checkpoint;
        try {
            checkpoint = repository.checkpoint(jobId).orElse(null);
        } catch (RuntimeException e) {
            if (!TransientFailures.isTransient(e)) {
                throw e;
            }
            return waitOutDatabaseFault(job, token.get(), stopping, e);
        }
        EngineJobContext context = new EngineJobContext(jobId, job.seed(), token.get() - 1, checkpoint, repository,
                stopping, properties.progressWriteInterval(), properties.cancelCheckInterval(), timeLeft,
                (unit, amount) -> metrics.workDone(job.type(), unit, amount));
        running.put(jobId, context);
        metrics.runStarted(job.type(), context.attempt());
        long startedNanos = System.nanoTime();
        JobMetrics.RunOutcome runOutcome = JobMetrics.RunOutcome.ABANDONED;
        log.info("Job {} ({}) attempt {} started on {}{}", jobId, job.type(), context.attempt(), instanceName,
                checkpoint == null ? "" : " from its checkpoint");
        try {
            JobResult result = invoke(handler.get(), job.parametersJson(), context);
            context.flush();
            if (context.superseded()) {
                log.warn("Job {} finished on {} but another run had taken it over; result dropped", jobId, instanceName);
                return Outcome.ABANDON;
            }
            String resultJson = json.writeValueAsString((result == null ? JobResult.empty() : result).values());
            if (!repository.finish(jobId, context.fencingToken(), JobStatus.SUCCEEDED, resultJson, null)) {
                log.warn("Job {} finished on {} but lost the job before recording it", jobId, instanceName);
                return Outcome.ABANDON;
            }
            log.info("Job {} ({}) succeeded on {}", jobId, job.type(), instanceName);
            runOutcome = JobMetrics.RunOutcome.SUCCEEDED;
            return Outcome.REMOVE;
        } catch (JobCancelledException e) {
            Outcome outcome = stopped(job, context);
            runOutcome = stoppedOutcome(outcome);
            return outcome;
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if ((e instanceof InterruptedException) && context.stopReason() != EngineJobContext.StopReason.NONE) {
                Outcome outcome = stopped(job, context);
                runOutcome = stoppedOutcome(outcome);
                return outcome;
            }
            if (TransientFailures.isTransient(e) || !databaseAnswers()) {
                // a wrapped fault (e.g. "unable to roll back" on a connection the server dropped)
                // may not read as transient, but with the database away it is its fault, not the job's
                return waitOutDatabaseFault(job, context.fencingToken(), stopping, e);
            }
            String error = errorMessage(e);
            log.warn("Job {} ({}) failed on {}: {}", jobId, job.type(), instanceName, error, e);
            context.flush();
            if (context.superseded() || !repository.finish(jobId, context.fencingToken(), JobStatus.FAILED, null, error)) {
                return Outcome.ABANDON;
            }
            runOutcome = JobMetrics.RunOutcome.FAILED;
            return Outcome.REMOVE;
        } finally {
            running.remove(jobId);
            metrics.runEnded(job.type(), runOutcome, System.nanoTime() - startedNanos);
        }
    }

    private static JobMetrics.RunOutcome stoppedOutcome(Outcome outcome) {
        return switch (outcome) {
            case REMOVE -> JobMetrics.RunOutcome.CANCELLED;
            case RELEASE -> JobMetrics.RunOutcome.RELEASED;
            default -> JobMetrics.RunOutcome.ABANDONED;
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private JobResult invoke(JobHandler handler, String parametersJson, EngineJobContext context) throws Exception {
        Object parameters = json.readValue(parametersJson, handler.parametersType());
        return handler.run(parameters, context);
    }

    private Outcome stopped(JobRecord job, EngineJobContext context) {
        EngineJobContext.StopReason reason = context.stopReason();
        context.flush();
        UUID jobId = job.id();
        switch (reason) {
            case TIMED_OUT:
                String timedOut = "ran longer than the maximum runtime of " + properties.maxRuntime()
                        + " (cvd-planner.jobs.max-runtime); stopped at a checkpoint";
                log.warn("Job {} ({}): {}", jobId, job.type(), timedOut);
                return repository.finish(jobId, context.fencingToken(), JobStatus.FAILED, null, timedOut)
                        ? Outcome.REMOVE : Outcome.ABANDON;
            case SUPERSEDED:
                log.warn("Job {} was taken over by another run; attempt {} on {} stops", jobId, context.attempt(), instanceName);
                return Outcome.ABANDON;
            case SHUTDOWN:
                if (repository.release(jobId, context.fencingToken())) {
                    log.info("Job {} ({}) handed back to the queue by {} (shutting down)", jobId, job.type(), instanceName);
                    return Outcome.RELEASE;
                }
                return Outcome.ABANDON;
            default:
                // a cancel request, or the handler gave up by throwing JobCancelledException itself
                if (repository.finish(jobId, context.fencingToken(), JobStatus.CANCELLED, null, null)) {
                    log.info("Job {} ({}) cancelled on {}", jobId, job.type(), instanceName);
                    return Outcome.REMOVE;
                }
                return Outcome.ABANDON;
        }
    }

    /**
     * A database fault that passes (restart, failover, dropped connection, deadlock) is not the
     * job's fault: wait for the database with back-off, then hand the job back to the queue like
     * a graceful shutdown does, so the next run resumes from the checkpoint and the attempt is
     * not counted against maxAttempts.
     */
    private Outcome waitOutDatabaseFault(JobRecord job, int fencingToken, BooleanSupplier stopping, Throwable fault) {
        UUID jobId = job.id();
        log.warn("Job {} ({}) met a database fault on {} ({}); waiting for the database, then resuming from its "
                + "checkpoint", jobId, job.type(), instanceName, errorMessage(fault));
        long delay = properties.databaseRetryInitialDelay().toMillis();
        long maxDelay = properties.databaseRetryMaxDelay().toMillis();
        for (int tries = 1; ; tries++) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                repository.ping();
                if (repository.release(jobId, fencingToken)) {
                    log.info("Job {} ({}): database back after {} check(s); handed back to the queue", jobId, job.type(), tries);
                    return Outcome.RELEASE;
                }
                return Outcome.ABANDON;
            } catch (RuntimeException e) {
                if (!TransientFailures.isTransient(e)) {
                    throw e;
                }
            }
            if (stopping.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                // cannot hand it back without the database; another instance revives it as dead
                return Outcome.ABANDON;
            }
            delay = Math.min(maxDelay, delay * 2);
        }
    }

    private boolean databaseAnswers() {
        try {
            repository.ping();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void onDeadExecution(ExecutionComplete complete, ExecutionOperations<Void> operations) {
        var execution = complete.getExecution();
        UUID jobId = UUID.fromString(execution.taskInstance.getId());
        log.warn("Job {}: its run on {} stopped sending heartbeats (last {}); back to the queue", jobId,
                execution.pickedBy, execution.lastHeartbeat);
        repository.requeueDead(jobId);
        metrics.deadRun();
        operations.reschedule(complete, execution.executionTime);
    }

    private void onFailure(ExecutionComplete complete, ExecutionOperations<Void> operations) {
        // only reached when the engine itself failed (e.g. the database was unreachable while
        // recording an outcome); the run counts as dead and the job is offered again
        log.error("Job execution {} failed in the engine; retrying in {}", complete.getExecution().taskInstance.getId(),
                properties.unknownTypeRetry(), complete.getCause().orElse(null));
        metrics.engineFailure();
        operations.reschedule(complete, Instant.now().plus(properties.unknownTypeRetry()));
    }

    static String errorMessage(Throwable e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) + "…" : text;
    }

    private static String defaultInstanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    // lifecycle: start after everything else (Flyway, web server), stop first

    @Override
    public void start() {
        log.info("Job engine on {}: queue '{}', {} concurrent job(s), dead after {} without heartbeat", instanceName,
                properties.queue(), properties.concurrency(), properties.deadAfter());
        if (stoppedBefore) {
            // a stopped db-scheduler cannot start again (its executors are shut down): a context
            // that is stopped and started again (e.g. paused between tests) gets a fresh one
            scheduler = buildScheduler();
            shuttingDown = false;
        }
        scheduler.start();
        started = true;
    }

    @Override
    public void stop() {
        if (!started) {
            return;
        }
        shuttingDown = true;
        int count = running.size();
        if (count > 0) {
            log.info("Shutting down: asking {} running job(s) to checkpoint and hand themselves back", count);
        }
        scheduler.stop();
        started = false;
        stoppedBefore = true;
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 100;
    }
}
