package org.cvdplanner.profile;

/** The three upload / export formats. */
enum UploadFormat {
    JSON("application/json"), NDJSON("application/x-ndjson"), CSV("text/csv");

    final String mediaType;

    UploadFormat(String mediaType) {
        this.mediaType = mediaType;
    }
}
