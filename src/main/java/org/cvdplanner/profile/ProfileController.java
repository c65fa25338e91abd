package org.cvdplanner.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SequenceWriter;

@RestController
@RequestMapping("/api/v1/datasets/{datasetId}/profiles")
@Tag(name = "Profiles", description = "Upload, browse and export synthesis profiles")
class ProfileController {

    private final DatasetService service;
    private final ProfileProperties properties;
    private final ObjectMapper mapper;
    private final UploadMetrics metrics;

    ProfileController(DatasetService service, ProfileProperties properties, ObjectMapper mapper, UploadMetrics metrics) {
        this.service = service;
        this.properties = properties;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    record ProfilePage(List<ProfileDocument> items, String nextCursor) {
    }

    @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, "application/x-ndjson", "text/csv"})
    @Operation(summary = "Upload profiles (JSON array, NDJSON or long-format CSV); atomic and idempotent",
            description = "All profiles are stored or none. A profile whose externalId exists with identical content "
                    + "counts as a duplicate; with different content the upload is a 409. CSV header: "
                    + "profile_id,t,temperature_k,s2,h2,h2s,phase_2h,phase_1t,phase_defect (rows of a profile "
                    + "contiguous). phaseUnit=COUNT accepts phases as counts of the 288 Mo atoms.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = {
                    @Content(mediaType = "application/json", schema = @Schema(implementation = ProfileDocument[].class)),
                    @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string")),
                    @Content(mediaType = "text/csv", schema = @Schema(type = "string"))}))
    ResponseEntity<UploadReport> upload(@PathVariable long datasetId,
            @RequestParam(defaultValue = "FRACTION") PhaseUnit phaseUnit,
            @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType, HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > properties.maxUploadSize().toBytes()) {
            throw new UploadTooLargeException(properties.maxUploadSize());
        }
        UploadFormat format = format(contentType);
        long started = System.nanoTime();
        try (InputStream body = new LimitedInputStream(request.getInputStream(), properties.maxUploadSize())) {
            UploadReport report = service.upload(datasetId, body, format, phaseUnit);
            metrics.accepted(format, report, System.nanoTime() - started);
            return ResponseEntity.status(report.created() > 0 ? HttpStatus.CREATED : HttpStatus.OK).body(report);
        }
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Page through profiles in externalId order (cursor paging)")
    ProfilePage list(@PathVariable long datasetId, @RequestParam(defaultValue = "100") @Min(1) int limit,
            @RequestParam(required = false) String cursor) {
        int size = Math.min(limit, properties.maxPageSize());
        List<ProfileDocument> items = service.page(datasetId, ProfileDocuments.fromCursor(cursor), size).stream()
                .map(ProfileDocuments::of).toList();
        String next = items.size() == size ? ProfileDocuments.cursor(items.get(items.size() - 1).externalId()) : null;
        return new ProfilePage(items, next);
    }

    @GetMapping(path = "/{externalId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One profile by its externalId")
    ProfileDocument get(@PathVariable long datasetId, @PathVariable String externalId) {
        return service.findProfile(datasetId, externalId).map(ProfileDocuments::of)
                .orElseThrow(() -> new ApiProblemException(HttpStatus.NOT_FOUND, "profile-not-found", "Profile not found",
                        "dataset " + datasetId + " has no profile '" + externalId + "'")
                        .with("datasetId", datasetId).with("profile", externalId));
    }

    @GetMapping("/export")
    @Operation(summary = "Export the whole dataset, streamed: format=json (array), ndjson or csv")
    ResponseEntity<StreamingResponseBody> export(@PathVariable long datasetId,
            @RequestParam(defaultValue = "json") String format) {
        service.get(datasetId);
        UploadFormat exportFormat = switch (format.toLowerCase()) {
            case "json" -> UploadFormat.JSON;
            case "ndjson", "jsonl" -> UploadFormat.NDJSON;
            case "csv" -> UploadFormat.CSV;
            default -> throw new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    "format must be json, ndjson or csv, was '" + format + "'").with("field", "format");
        };
        StreamingResponseBody body = out -> {
            switch (exportFormat) {
                case JSON -> {
                    try (SequenceWriter writer = mapper.writer().writeValuesAsArray(out)) {
                        service.forEachProfile(datasetId, p -> writer.write(ProfileDocuments.of(p)));
                    }
                }
                case NDJSON -> {
                    try (SequenceWriter writer = mapper.writer().withRootValueSeparator("\n").writeValues(out)) {
                        service.forEachProfile(datasetId, p -> writer.write(ProfileDocuments.of(p)));
                    }
                    out.write('\n');
                }
                case CSV -> {
                    Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    try (CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder()
                            .setHeader(ProfileUploadReader.CSV_COLUMNS.toArray(String[]::new)).setRecordSeparator('\n').get())) {
                        service.forEachProfile(datasetId, p -> {
                            try {
                                for (int t = 0; t < p.length(); t++) {
                                    var x = p.schedule().at(t);
                                    var z = p.trajectory().at(t);
                                    csv.printRecord(p.externalId(), t, x.temperatureK(), x.s2(), x.h2(), x.h2s(),
                                            z.phase2H(), z.phase1T(), z.phaseDefect());
                                }
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
                    }
                }
            }
        };
        String extension = exportFormat == UploadFormat.NDJSON ? "ndjson" : format.toLowerCase().replace("jsonl", "ndjson");
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(exportFormat.mediaType))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"dataset-" + datasetId + "." + extension + "\"")
                .body(body);
    }

    private static UploadFormat format(MediaType contentType) {
        if (contentType.isCompatibleWith(MediaType.APPLICATION_JSON)) {
            return UploadFormat.JSON;
        }
        if (contentType.isCompatibleWith(MediaType.parseMediaType("application/x-ndjson"))
                || contentType.isCompatibleWith(MediaType.parseMediaType("application/jsonl"))) {
            return UploadFormat.NDJSON;
        }
        if (contentType.isCompatibleWith(MediaType.parseMediaType("text/csv"))) {
            return UploadFormat.CSV;
        }
        throw new ApiProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
                "upload profiles as application/json, application/x-ndjson or text/csv");
    }
}
