package org.cvdplanner.job;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Submits the diagnostic job; exists only with {@code cvd-planner.jobs.diagnostics-enabled=true}. */
@RestController
@RequestMapping("/api/v1/jobs")
@ConditionalOnBooleanProperty("cvd-planner.jobs.diagnostics-enabled")
class DiagnosticCounterController {

    private final JobService jobs;

    DiagnosticCounterController(JobService jobs) {
        this.jobs = jobs;
    }

    /** The diagnostic counter: parameters of {@link DiagnosticCounterJob.Parameters} plus an optional seed. */
    record DiagnosticCounterRequest(Long target, Long stepDelayMs, Long checkpointEvery, Long failAt, Long seed,
            String externalRef) {
    }

    @PostMapping("/diagnostic-counter")
    ResponseEntity<SubmittedJob> diagnosticCounter(@RequestBody DiagnosticCounterRequest request,
            @RequestHeader(name = JobResponses.IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
        var parameters = new DiagnosticCounterJob.Parameters(request.target(), request.stepDelayMs(),
                request.checkpointEvery(), request.failAt());
        return JobResponses.accepted(jobs.submit(DiagnosticCounterJob.TYPE, parameters, request.seed(), idempotencyKey,
                request.externalRef()));
    }
}
