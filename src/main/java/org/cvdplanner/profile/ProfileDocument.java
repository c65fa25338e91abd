package org.cvdplanner.profile;

import java.util.List;

import tools.jackson.databind.annotation.JsonDeserialize;

/** A profile in the JSON / NDJSON formats: its external id and its steps. */
record ProfileDocument(String externalId,
        @JsonDeserialize(using = ProfileUploadReader.BoundedSteps.class) List<ProfileStep> steps) {
}
