package org.cvdplanner.simulation;

import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.job.InvalidJobParametersException;
import org.cvdplanner.job.JobResponses;
import org.cvdplanner.job.JobSubmitter;
import org.cvdplanner.job.SubmittedJob;
import org.cvdplanner.profile.DatasetNotFoundException;
import org.cvdplanner.profile.Datasets;
import org.cvdplanner.simulation.ScheduleChecks.ScheduleInput;
import org.cvdplanner.synthesis.Schedule;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The simulator over HTTP: campaigns that fill a dataset (a job, 202) and synchronous runs of
 * given schedules over stochastic replicas (200). See docs/simulator.md.
 */
@RestController
class SimulationController {

    static final int DEFAULT_REPLICAS = 32;

    private final SimulatorService simulator;
    private final JobSubmitter jobs;
    private final Datasets datasets;

    SimulationController(SimulatorService simulator, JobSubmitter jobs, Datasets datasets) {
        this.simulator = simulator;
        this.jobs = jobs;
        this.datasets = datasets;
    }

    /**
     * @param count profiles to generate (required for RANDOM_WALK; for GIVEN it defaults to
     *     schedules × replicasPerSchedule)
     * @param seed the campaign seed (drawn and stored when absent); same seed and parameters ⇒
     *     same profiles
     * @param externalRef the lab system's own reference, stored with the job
     */
    record CampaignRequest(Integer count, Long seed, ScheduleSource scheduleSource, List<ScheduleInput> schedules,
            Integer replicasPerSchedule, String externalRef) {
    }

    @PostMapping("/api/v1/datasets/{datasetId}/simulations")
    ResponseEntity<SubmittedJob> campaign(@PathVariable long datasetId, @RequestBody CampaignRequest request,
            @RequestHeader(name = JobResponses.IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
        if (datasets.find(datasetId).isEmpty()) {
            throw new DatasetNotFoundException(datasetId);
        }
        List<Schedule> schedules = null;
        if (request.schedules() != null && !request.schedules().isEmpty()) {
            schedules = toSchedules(request.schedules(), v -> new InvalidJobParametersException(v.field(), v.reason()));
        }
        var parameters = new SimulationCampaignParameters(datasetId, request.count(), request.scheduleSource(), schedules,
                request.replicasPerSchedule());
        return JobResponses.accepted(jobs.submit(SimulationCampaignParameters.JOB_TYPE, parameters, request.seed(),
                idempotencyKey, request.externalRef()));
    }

    /**
     * @param schedules one or more schedules ({@code {"steps": [{"temperatureK", "s2", "h2", "h2s"}, ...]}})
     * @param replicas stochastic replicas per schedule (default {@value #DEFAULT_REPLICAS})
     * @param seed the report's seed (drawn when absent and returned)
     */
    record RunRequest(List<ScheduleInput> schedules, Integer replicas, Long seed) {
    }

    /** Per step: mean, sd, p5 and p95 over the replicas; {@code last} repeats the final step. */
    record ScheduleResult(int schedule, long seed, int steps, ReplicaSummary.StepSummary last,
            List<ReplicaSummary.StepSummary> trajectory) {
    }

    record RunResponse(long seed, int replicas, List<ScheduleResult> results) {
    }

    @PostMapping("/api/v1/simulations/runs")
    RunResponse runs(@RequestBody RunRequest request) {
        if (request.schedules() == null || request.schedules().isEmpty()) {
            throw new InvalidSimulationRequestException("schedules", "at least one schedule is needed");
        }
        if (request.schedules().size() > simulator.properties().maxSchedulesPerRequest()) {
            throw new InvalidSimulationRequestException("schedules", request.schedules().size()
                    + " schedules; at most " + simulator.properties().maxSchedulesPerRequest() + " per request");
        }
        List<Schedule> schedules = toSchedules(request.schedules(),
                v -> new InvalidSimulationRequestException(v.field(), v.reason()));
        int replicas = request.replicas() == null ? DEFAULT_REPLICAS : request.replicas();
        SimulationReport report = simulator.run(schedules, replicas, request.seed());
        List<ScheduleResult> results = new ArrayList<>();
        for (int j = 0; j < report.results().size(); j++) {
            ReplicaSummary summary = report.results().get(j);
            results.add(new ScheduleResult(j, summary.seed(), summary.steps().size(), summary.last(), summary.steps()));
        }
        return new RunResponse(report.seed(), report.replicas(), results);
    }

    private List<Schedule> toSchedules(List<ScheduleInput> inputs, ScheduleChecks.ViolationHandler onViolation) {
        List<Schedule> schedules = new ArrayList<>(inputs.size());
        for (int j = 0; j < inputs.size(); j++) {
            schedules.add(simulator.checks().toSchedule("schedules[" + j + "]", inputs.get(j), onViolation));
        }
        return schedules;
    }
}
