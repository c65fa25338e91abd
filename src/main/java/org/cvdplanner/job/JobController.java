package org.cvdplanner.job;

import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Jobs over HTTP: list, get, cancel, follow as Server-Sent Events. */
@RestController
@RequestMapping("/api/v1/jobs")
class JobController {

    private final JobService jobs;
    private final JobEventStreams events;

    JobController(JobService jobs, JobEventStreams events) {
        this.jobs = jobs;
        this.events = events;
    }

    @GetMapping
    JobView.Page list(@RequestParam(required = false) String type, @RequestParam(required = false) JobStatus status,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String externalRef) {
        return jobs.list(type, status, externalRef, cursor, limit);
    }

    @GetMapping("/{id}")
    JobView get(@PathVariable UUID id) {
        return jobs.get(id);
    }

    /** 200 when the job is CANCELLED now; 202 when a running job will stop at its next boundary. */
    @PostMapping("/{id}/cancel")
    ResponseEntity<JobView> cancel(@PathVariable UUID id) {
        JobView job = jobs.cancel(id);
        return job.status() == JobStatus.CANCELLED ? ResponseEntity.ok(job) : ResponseEntity.accepted().body(job);
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable UUID id) {
        return events.subscribe(id);
    }
}
