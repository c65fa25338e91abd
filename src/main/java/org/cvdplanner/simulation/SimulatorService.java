package org.cvdplanner.simulation;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.synthesis.Schedule;
import org.springframework.stereotype.Service;

/**
 * The simulator for other features (e.g. validating an agent's proposals) and for HTTP: runs
 * schedules for N stochastic replicas and returns per-step means and p5–p95 bands of every phase
 * plus the sulfidised fraction and the remaining oxide. Validates its input against the model
 * and the limits in {@code cvd-planner.simulation.*}; synchronous (a 20-step schedule costs
 * about 0.4 ms of CPU per replica).
 */
@Service
public class SimulatorService {

    private final CvdSimulator simulator = CvdSimulator.DEFAULT;
    private final SimulatorProperties properties;
    private final ScheduleChecks checks;
    private final SecureRandom seeds = new SecureRandom();

    SimulatorService(SimulatorProperties properties) {
        this.properties = properties;
        this.checks = new ScheduleChecks(properties);
    }

    /** The model itself (immutable, thread-safe), for callers that want single runs. */
    public CvdSimulator simulator() {
        return simulator;
    }

    /**
     * Runs every schedule {@code replicas} times.
     *
     * @param seed the seed of the whole report, or null to draw one (returned in the report)
     * @throws InvalidSimulationRequestException naming the schedule, step and field at fault, or
     *     a limit that was exceeded
     */
    public SimulationReport run(List<Schedule> schedules, int replicas, Long seed) {
        if (schedules == null || schedules.isEmpty()) {
            throw new InvalidSimulationRequestException("schedules", "at least one schedule is needed");
        }
        if (schedules.size() > properties.maxSchedulesPerRequest()) {
            throw new InvalidSimulationRequestException("schedules",
                    schedules.size() + " schedules; at most " + properties.maxSchedulesPerRequest() + " per request");
        }
        if (replicas < 1 || replicas > properties.maxReplicas()) {
            throw new InvalidSimulationRequestException("replicas", "must be 1 to " + properties.maxReplicas() + ", was " + replicas);
        }
        long runs = (long) schedules.size() * replicas;
        if (runs > properties.maxRunsPerRequest()) {
            throw new InvalidSimulationRequestException("replicas", schedules.size() + " schedules x " + replicas
                    + " replicas = " + runs + " runs; at most " + properties.maxRunsPerRequest() + " per request");
        }
        for (int j = 0; j < schedules.size(); j++) {
            checks.check("schedules[" + j + "]", schedules.get(j), null).ifPresent(v -> {
                throw new InvalidSimulationRequestException(v.field(), v.reason());
            });
        }
        long reportSeed = seed != null ? seed : seeds.nextLong();
        List<Schedule> all = new ArrayList<>((int) runs);
        long[] runSeeds = new long[(int) runs];
        for (int j = 0; j < schedules.size(); j++) {
            long scheduleSeed = Seeds.derive(reportSeed, j);
            for (int r = 0; r < replicas; r++) {
                all.add(schedules.get(j));
                runSeeds[j * replicas + r] = Seeds.derive(scheduleSeed, r);
            }
        }
        List<SimulatedRun> results = simulator.simulateAll(all, runSeeds, properties.effectiveThreads());
        List<ReplicaSummary> summaries = new ArrayList<>(schedules.size());
        for (int j = 0; j < schedules.size(); j++) {
            summaries.add(ReplicaSummary.of(schedules.get(j), Seeds.derive(reportSeed, j),
                    results.subList(j * replicas, (j + 1) * replicas)));
        }
        return new SimulationReport(reportSeed, replicas, summaries);
    }

    /** One schedule: the same as {@code run(List.of(schedule), replicas, seed).results().get(0)}. */
    public ReplicaSummary run(Schedule schedule, int replicas, long seed) {
        return run(List.of(schedule), replicas, seed).results().get(0);
    }

    ScheduleChecks checks() {
        return checks;
    }

    SimulatorProperties properties() {
        return properties;
    }
}
