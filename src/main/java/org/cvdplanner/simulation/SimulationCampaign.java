package org.cvdplanner.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.cvdplanner.synthesis.Schedule;
import org.cvdplanner.synthesis.SynthesisProfile;

/**
 * What a campaign produces, item by item, as a pure function of (parameters, campaign seed, job
 * id): item i gets the external id {@code sim-<first 12 hex digits of the job id>-<i, zero-padded>}
 * and the profile seed {@code Seeds.derive(campaignSeed, i)}; a random-walk item draws its
 * schedule from {@code CvdSimulator.scheduleSeed(profileSeed)}, a GIVEN item runs schedule
 * {@code i / replicasPerSchedule}; both run the lattice with {@code CvdSimulator.latticeSeed(profileSeed)}.
 * So a chunk computed again after a crash is identical to the one stored before it, and storing
 * it again counts as duplicates, not as new profiles.
 */
final class SimulationCampaign {

    private final CvdSimulator simulator;
    private final SimulationCampaignParameters parameters;
    private final RandomWalkScheduleGenerator generator;
    private final long seed;
    private final String idPrefix;
    private final int idDigits;

    SimulationCampaign(CvdSimulator simulator, SimulationCampaignParameters parameters, int stepCount, long seed, UUID jobId) {
        this.simulator = simulator;
        this.parameters = parameters;
        this.generator = RandomWalkScheduleGenerator.PAPER.withSteps(stepCount);
        this.seed = seed;
        this.idPrefix = idPrefix(jobId);
        this.idDigits = Math.max(6, Long.toString(Math.max(0, parameters.count() - 1L)).length());
    }

    static String idPrefix(UUID jobId) {
        return "sim-" + jobId.toString().replace("-", "").substring(0, 12) + "-";
    }

    String externalId(long index) {
        String digits = Long.toString(index);
        return idPrefix + "0".repeat(Math.max(0, idDigits - digits.length())) + digits;
    }

    /** Items {@code from .. from+n−1}, simulated on up to {@code threads} threads. */
    List<SynthesisProfile> profiles(long from, int n, int threads) {
        List<SimulatedRun> runs;
        if (parameters.scheduleSource() == ScheduleSource.RANDOM_WALK) {
            runs = simulator.simulateRandomWalks(generator, seed, from, n, threads);
        } else {
            List<Schedule> schedules = new ArrayList<>(n);
            long[] seeds = new long[n];
            for (int k = 0; k < n; k++) {
                long index = from + k;
                schedules.add(parameters.schedules().get((int) (index / parameters.replicasPerSchedule())));
                seeds[k] = CvdSimulator.latticeSeed(CvdSimulator.profileSeed(seed, index));
            }
            runs = simulator.simulateAll(schedules, seeds, threads);
        }
        SynthesisProfile[] profiles = new SynthesisProfile[n];
        for (int k = 0; k < n; k++) {
            profiles[k] = runs.get(k).toProfile(externalId(from + k));
        }
        return Arrays.asList(profiles);
    }
}
