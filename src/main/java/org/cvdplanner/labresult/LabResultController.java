package org.cvdplanner.labresult;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Lab results of proposals: posted as JSON or CSV, listed per proposal and per agent. */
@RestController
@Tag(name = "Lab results", description = "Measured outcomes of proposed recipes, compared with the prediction")
class LabResultController {

    private final LabResults results;

    LabResultController(LabResults results) {
        this.results = results;
    }

    record LabResultList(List<LabResultView> items) {
    }

    @PostMapping(path = "/api/v1/proposals/{id}/lab-results", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Post a measured trajectory (whole or partial); compared with the prediction, a whole one is stored as a profile")
    ResponseEntity<LabResultView> postJson(@PathVariable UUID id, @RequestBody LabResultRequest request) {
        return created(results.receive(id, request));
    }

    @PostMapping(path = "/api/v1/proposals/{id}/lab-results", consumes = "text/csv")
    @Operation(summary = "The same as CSV: header t,phase_2h,phase_1t,phase_defect; dataset and ids as query parameters")
    ResponseEntity<LabResultView> postCsv(@PathVariable UUID id, @RequestParam(required = false) Long datasetId,
            @RequestParam(required = false) String externalId, @RequestParam(required = false) String externalRef,
            @RequestBody String csv) {
        return created(results.receive(id, new LabResultRequest(datasetId, externalId, externalRef, parse(csv))));
    }

    @GetMapping("/api/v1/proposals/{id}/lab-results")
    @Operation(summary = "Lab results of a proposal, oldest first")
    LabResultList forProposal(@PathVariable UUID id) {
        return new LabResultList(results.forProposal(id));
    }

    @GetMapping("/api/v1/agents/{id}/lab-results")
    @Operation(summary = "Lab results of every proposal of an agent; externalRef filters by the LIMS's reference")
    LabResultList forAgent(@PathVariable UUID id, @RequestParam(required = false) String externalRef) {
        return new LabResultList(results.forAgent(id, externalRef));
    }

    @GetMapping("/api/v1/lab-results/{id}")
    @Operation(summary = "One lab result with its comparison")
    LabResultView get(@PathVariable UUID id) {
        return results.get(id);
    }

    private static ResponseEntity<LabResultView> created(LabResultView view) {
        return ResponseEntity.created(URI.create("/api/v1/lab-results/" + view.id())).body(view);
    }

    private static List<LabResultView.MeasuredStep> parse(String csv) {
        List<LabResultView.MeasuredStep> steps = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).get();
        try (var parser = format.parse(new StringReader(csv == null ? "" : csv))) {
            for (String column : List.of("t", "phase_2h", "phase_1t", "phase_defect")) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    throw new InvalidLabResultException(column, null, "column missing; the header is t,phase_2h,phase_1t,phase_defect");
                }
            }
            for (CSVRecord row : parser) {
                int line = (int) row.getRecordNumber() + 1;
                try {
                    steps.add(new LabResultView.MeasuredStep(Integer.parseInt(row.get("t")),
                            Double.parseDouble(row.get("phase_2h")), Double.parseDouble(row.get("phase_1t")),
                            Double.parseDouble(row.get("phase_defect"))));
                } catch (IllegalArgumentException e) {
                    throw new InvalidLabResultException("line " + line, null, "not a number: " + e.getMessage());
                }
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new InvalidLabResultException("body", null, "not readable as CSV: " + e.getMessage());
        }
        return steps;
    }
}
