package org.cvdplanner.profile;

/**
 * The answer to an upload: how many profiles were received, newly created, and already stored
 * with identical content (duplicates). Rejections never appear here: they fail the upload.
 */
record UploadReport(long datasetId, int received, int created, int duplicates) {
}
