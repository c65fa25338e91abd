package org.cvdplanner.profile;

import java.util.List;
import java.util.Optional;

import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.SynthesisProfile;

/** What other features may do with datasets and their profiles. */
public interface Datasets {

    Optional<DatasetSummary> find(long datasetId);

    /** Creates a dataset (used by the demo pipeline and simulation campaigns). */
    DatasetSummary create(String name, String description, String source, int stepCount);

    /**
     * Loads every profile of the dataset into flat arrays, ordered by external id (a stable
     * order, so seeded splits are reproducible).
     *
     * @throws DatasetNotFoundException when it does not exist
     */
    ProfileArrays loadArrays(long datasetId);

    /**
     * Stores profiles atomically and idempotently: all or none; a profile whose external id
     * exists with identical content counts as a duplicate; with different content the whole
     * call fails with {@link ProfileConflictException}. Profiles are validated as uploads are.
     */
    StoreOutcome store(long datasetId, List<SynthesisProfile> profiles);

    /** Number of profiles stored in the dataset. */
    long count(long datasetId);

    record StoreOutcome(int created, int duplicates) {
    }
}
