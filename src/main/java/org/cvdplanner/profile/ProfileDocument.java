package org.cvdplanner.profile;

import java.util.List;

/** A profile in the JSON / NDJSON formats: its external id and its steps. */
record ProfileDocument(String externalId, List<ProfileStep> steps) {
}
