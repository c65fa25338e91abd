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
 * @param split how the dataset was split and which ensemble member this is (null when the model
 *     was trained from given arrays, or before the split was recorded)
 */
public record NadeProvenance(NadeHyperParameters hyperParameters, Long datasetId, String profileHash,
        int trainingProfiles, int validationProfiles, int steps, String dl4jVersion, String nd4jBackend,
        String javaVersion, Instant trainedAt, double trainingSeconds, int epochsRun, int bestEpoch,
        double bestValidationNll, List<EpochReport> history, Split split) {

    public NadeProvenance {
        history = history == null ? List.of() : List.copyOf(history);
        // a model trained before the split was recorded deserialises with split null
    }

    /**
     * The train / validation / test split by profile and the ensemble the model was chosen from.
     *
     * @param seed the split's shuffle seed
     * @param validationFraction share of profiles held out for validation
     * @param testFraction share of profiles held out for the test evaluation
     * @param testProfiles profiles in the test split
     * @param testProfileHash SHA-256 (hex) of the test profiles
     * @param members ensemble members trained (the model is the one with the lowest validation NLL)
     * @param member which member this model is (0-based)
     * @param memberValidationNll every member's best validation NLL, in member order
     */
    public record Split(long seed, double validationFraction, double testFraction, int testProfiles,
            String testProfileHash, int members, int member, List<Double> memberValidationNll) {

        public Split {
            memberValidationNll = memberValidationNll == null ? List.of() : List.copyOf(memberValidationNll);
        }
    }

    NadeProvenance withSplit(Split value) {
        return new NadeProvenance(hyperParameters, datasetId, profileHash, trainingProfiles, validationProfiles, steps,
                dl4jVersion, nd4jBackend, javaVersion, trainedAt, trainingSeconds, epochsRun, bestEpoch,
                bestValidationNll, history, value);
    }

    /** The same provenance without the learning curve, for embedding in what was built on the model. */
    public NadeProvenance withoutHistory() {
        return new NadeProvenance(hyperParameters, datasetId, profileHash, trainingProfiles, validationProfiles, steps,
                dl4jVersion, nd4jBackend, javaVersion, trainedAt, trainingSeconds, epochsRun, bestEpoch,
                bestValidationNll, List.of(), split);
    }
}
