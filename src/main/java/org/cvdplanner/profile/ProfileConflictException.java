package org.cvdplanner.profile;

import java.util.List;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** Profiles whose external id already exists in the dataset with different content (409). */
public class ProfileConflictException extends ApiProblemException {

    private final long datasetId;
    private final List<String> externalIds;

    public ProfileConflictException(long datasetId, List<String> externalIds) {
        super(HttpStatus.CONFLICT, "profile-conflict", "Profile exists with different content", externalIds.size() + " profile(s) already exist in dataset " + datasetId
                + " with different content: " + String.join(", ", externalIds.subList(0, Math.min(10, externalIds.size())))
                + (externalIds.size() > 10 ? ", ..." : ""));
        with("datasetId", datasetId).with("profiles", List.copyOf(externalIds));
        this.datasetId = datasetId;
        this.externalIds = List.copyOf(externalIds);
    }

    public long datasetId() {
        return datasetId;
    }

    public List<String> externalIds() {
        return externalIds;
    }
}
