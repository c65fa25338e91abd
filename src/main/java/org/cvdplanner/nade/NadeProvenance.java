package org.cvdplanner.nade;

import java.time.Instant;
import java.util.List;

/**
 * Where a NADE-CVD model came from: enough to retrain it and to know what it was trained on.
 *
 * @param hyperParameters the trainer's settings, seed included
 * @param datasetId the dataset the profiles came from (null when trained from arrays in code)
 * @param profileHash SHA-256 (hex) of the exact training and validation profiles, in order
 * @param trainingProfiles profiles in the training split
 * @param validationProfiles profiles in the validation split
 * @param steps steps per profile
 * @param dl4jVersion Deeplearning4j version
 * @param nd4jBackend the ND4J backend that trained it (e.g. CpuBackend)
 * @param javaVersion the JVM that trained it
 * @param trainedAt when training finished
 * @param trainingSeconds wall time spent training (summed over resumed runs)
 * @param epochsRun epochs completed
 * @param bestEpoch the epoch (1-based) whose parameters the model holds
 * @param bestValidationNll mean teacher-forced NLL per validation profile at that epoch (nats)
 * @param history every epoch's report, in order (the learning curve)
 */
public record NadeProvenance(NadeHyperParameters hyperParameters, Long datasetId, String profileHash,
        int trainingProfiles, int validationProfiles, int steps, String dl4jVersion, String nd4jBackend,
        String javaVersion, Instant trainedAt, double trainingSeconds, int epochsRun, int bestEpoch,
        double bestValidationNll, List<EpochReport> history) {

    public NadeProvenance {
        history = history == null ? List.of() : List.copyOf(history);
    }
}
