package org.cvdplanner.proposal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Proposals over HTTP: proposing from an agent, the proposal, its recipe, its simulator validations and its phase order. */
@RestController
class ProposalController {

    static final String[] RECIPE_HEADER = {"step", "time_ns", "temperature_k", "s2", "h2", "h2s"};

    private final Proposals proposals;

    ProposalController(Proposals proposals) {
        this.proposals = proposals;
    }

    /** Proposes and stores schedules; 201 with the proposals, best objective value first. */
    @PostMapping("/api/v1/agents/{id}/proposals")
    ResponseEntity<Map<String, List<ProposalView>>> propose(@PathVariable UUID id,
            @RequestBody(required = false) ProposalRequest request) {
        List<ProposalView> created = proposals.propose(id, request);
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/proposals/" + created.get(0).id()))
                .body(Map.of("items", created));
    }

    @GetMapping("/api/v1/agents/{id}/proposals")
    @Operation(summary = "The newest proposals of an agent; externalRef filters by the lab system's reference")
    Map<String, List<ProposalView>> proposals(@PathVariable UUID id, @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String externalRef) {
        return Map.of("items", proposals.list(id, externalRef, limit));
    }

    @GetMapping("/api/v1/proposals")
    @Operation(summary = "The newest proposals of every agent; externalRef filters by the lab system's reference")
    Map<String, List<ProposalView>> allProposals(@RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String externalRef) {
        return Map.of("items", proposals.list(null, externalRef, limit));
    }


    @GetMapping("/api/v1/proposals/{id}")
    ProposalView get(@PathVariable UUID id) {
        return proposals.get(id);
    }

    @GetMapping(path = "/api/v1/proposals/{id}/recipe.csv", produces = "text/csv")
    ResponseEntity<String> recipeCsv(@PathVariable UUID id) {
        List<RecipeStep> steps = proposals.recipe(id);
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(RECIPE_HEADER)
                .setRecordSeparator("\n").get())) {
            for (RecipeStep s : steps) {
                csv.printRecord(s.step(), s.timeNs(), s.temperatureK(), s.s2(), s.h2(), s.h2s());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ResponseEntity.ok().contentType(new MediaType("text", "csv"))
                .header("Content-Disposition", "attachment; filename=\"proposal-" + id + "-recipe.csv\"")
                .body(out.toString());
    }

    @GetMapping(path = "/api/v1/proposals/{id}/recipe.json", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> recipeJson(@PathVariable UUID id) {
        return Map.of("proposalId", id, "stepDurationNs", Proposals.STEP_NS, "steps", proposals.recipe(id));
    }

    /** Runs the schedule through the simulator; 201 with the comparison. */
    @PostMapping("/api/v1/proposals/{id}/validations")
    ResponseEntity<ValidationView> validate(@PathVariable UUID id,
            @RequestBody(required = false) ValidationRequest request) {
        ValidationView v = proposals.validate(id, request);
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/api/v1/proposals/" + id + "/validations/" + v.id())).body(v);
    }

    @GetMapping("/api/v1/proposals/{id}/validations")
    Map<String, List<ValidationView>> validations(@PathVariable UUID id) {
        return Map.of("items", proposals.validations(id));
    }

    @GetMapping("/api/v1/proposals/{id}/validations/{validationId}")
    ValidationView validation(@PathVariable UUID id, @PathVariable UUID validationId) {
        return proposals.validation(id, validationId);
    }

    @GetMapping("/api/v1/proposals/{id}/phase-order")
    PhaseOrderView phaseOrder(@PathVariable UUID id) {
        return proposals.phaseOrder(id);
    }
}
