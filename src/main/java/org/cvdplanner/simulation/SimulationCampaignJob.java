package org.cvdplanner.simulation;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cvdplanner.job.InvalidJobParametersException;
import org.cvdplanner.job.JobContext;
import org.cvdplanner.job.JobHandler;
import org.cvdplanner.job.JobResult;
import org.cvdplanner.profile.DatasetSummary;
import org.cvdplanner.profile.Datasets;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.springframework.stereotype.Component;

/**
 * Fills a dataset with simulated profiles, chunk by chunk: simulate a chunk (all cores), store it
 * atomically and idempotently, save the number of profiles stored as the checkpoint, report
 * progress, and stop between chunks when cancelled or when the instance shuts down. Because
 * every item is a pure function of (campaign seed, job id, index) (see {@link SimulationCampaign}),
 * a run resumed after a crash recomputes at most one chunk, whose profiles are then already
 * stored and count as duplicates: the dataset ends with exactly {@code count} profiles of the
 * campaign, none lost, none twice.
 */
@Component
class SimulationCampaignJob implements JobHandler<SimulationCampaignParameters> {

    private final Datasets datasets;
    private final SimulatorService simulator;
    private final SimulatorProperties properties;

    SimulationCampaignJob(Datasets datasets, SimulatorService simulator, SimulatorProperties properties) {
        this.datasets = datasets;
        this.simulator = simulator;
        this.properties = properties;
    }

    @Override
    public String type() {
        return SimulationCampaignParameters.JOB_TYPE;
    }

    @Override
    public Class<SimulationCampaignParameters> parametersType() {
        return SimulationCampaignParameters.class;
    }

    @Override
    public void validate(SimulationCampaignParameters p) {
        DatasetSummary dataset = datasets.find(p.datasetId()).orElseThrow(() ->
                new InvalidJobParametersException("datasetId", "dataset " + p.datasetId() + " does not exist"));
        if (p.scheduleSource() == ScheduleSource.GIVEN && p.schedules() == null) {
            throw new InvalidJobParametersException("schedules", "at least one schedule is needed when scheduleSource is GIVEN");
        }
        if (p.count() == null) {
            throw new InvalidJobParametersException("count", "is missing");
        }
        if (p.count() < 1 || p.count() > properties.maxCampaignProfiles()) {
            throw new InvalidJobParametersException("count", "must be 1 to " + properties.maxCampaignProfiles() + ", was " + p.count());
        }
        if (p.replicasPerSchedule() < 1 || p.replicasPerSchedule() > properties.maxReplicas()) {
            throw new InvalidJobParametersException("replicasPerSchedule",
                    "must be 1 to " + properties.maxReplicas() + ", was " + p.replicasPerSchedule());
        }
        if (p.scheduleSource() == ScheduleSource.RANDOM_WALK) {
            if (p.schedules() != null) {
                throw new InvalidJobParametersException("schedules", "must be absent when scheduleSource is RANDOM_WALK");
            }
            if (p.replicasPerSchedule() != 1) {
                throw new InvalidJobParametersException("replicasPerSchedule",
                        "must be 1 when scheduleSource is RANDOM_WALK (every random walk is a new schedule)");
            }
            return;
        }
        List<org.cvdplanner.synthesis.Schedule> schedules = p.schedules();
        if (schedules.size() > properties.maxCampaignSchedules()) {
            throw new InvalidJobParametersException("schedules",
                    schedules.size() + " schedules; at most " + properties.maxCampaignSchedules() + " per campaign");
        }
        long expected = (long) schedules.size() * p.replicasPerSchedule();
        if (p.count() != expected) {
            throw new InvalidJobParametersException("count", "must equal schedules x replicasPerSchedule = " + expected
                    + " with GIVEN schedules (or be left out), was " + p.count());
        }
        for (int j = 0; j < schedules.size(); j++) {
            simulator.checks().check("schedules[" + j + "]", schedules.get(j), dataset.stepCount()).ifPresent(v -> {
                throw new InvalidJobParametersException(v.field(), v.reason());
            });
        }
    }

    @Override
    public JobResult run(SimulationCampaignParameters p, JobContext context) {
        DatasetSummary dataset = datasets.find(p.datasetId()).orElseThrow(() ->
                new IllegalStateException("dataset " + p.datasetId() + " no longer exists"));
        SimulationCampaign campaign = new SimulationCampaign(simulator.simulator(), p, dataset.stepCount(),
                context.seed(), context.jobId());
        Progress progress = context.checkpoint().map(Progress::read).orElse(Progress.NONE);
        context.metric("resumedFrom", context.attempt(), progress.stored());
        context.progress(progress.stored(), p.count(), "profiles");
        int threads = properties.effectiveThreads();
        long simulationNanos = 0;
        long storageNanos = 0;
        while (progress.stored() < p.count()) {
            context.throwIfCancelled();
            int n = (int) Math.min(properties.chunkSize(), p.count() - progress.stored());
            long start = System.nanoTime();
            List<SynthesisProfile> profiles = campaign.profiles(progress.stored(), n, threads);
            long simulated = System.nanoTime();
            Datasets.StoreOutcome outcome = datasets.store(p.datasetId(), profiles);
            simulationNanos += simulated - start;
            storageNanos += System.nanoTime() - simulated;
            progress = new Progress(progress.stored() + n, progress.created() + outcome.created(),
                    progress.duplicates() + outcome.duplicates());
            context.saveCheckpoint(progress.write());
            context.progress(progress.stored(), p.count(), "profiles");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("datasetId", p.datasetId());
        result.put("profiles", p.count());
        result.put("created", progress.created());
        result.put("duplicates", progress.duplicates());
        result.put("firstExternalId", campaign.externalId(0));
        result.put("lastExternalId", campaign.externalId(p.count() - 1L));
        result.put("seed", context.seed());
        // wall time of this run (a resumed run counts only its own chunks)
        result.put("simulationSeconds", Math.round(simulationNanos / 1e6) / 1e3);
        result.put("storageSeconds", Math.round(storageNanos / 1e6) / 1e3);
        return new JobResult(result);
    }

    /**
     * The checkpoint: profiles of the campaign stored so far (items 0 .. stored−1), and how many
     * of them were new or already there (a chunk redone after a crash).
     */
    record Progress(long stored, long created, long duplicates) {

        static final Progress NONE = new Progress(0, 0, 0);
        private static final byte VERSION = 1;

        byte[] write() {
            return ByteBuffer.allocate(25).put(VERSION).putLong(stored).putLong(created).putLong(duplicates).array();
        }

        static Progress read(byte[] bytes) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            byte version = buffer.get();
            if (version != VERSION || bytes.length != 25) {
                throw new IllegalStateException("unknown simulation-campaign checkpoint version " + version);
            }
            return new Progress(buffer.getLong(), buffer.getLong(), buffer.getLong());
        }
    }
}
