package org.cvdplanner.profile;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.cvdplanner.system.ExternalRefs;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Datasets", description = "Named collections of synthesis profiles")
class DatasetController {

    private final DatasetService service;

    DatasetController(DatasetService service) {
        this.service = service;
    }

    /**
     * A new dataset; step count defaults to the RMD data's 20 steps of 1 ns.
     *
     * @param externalRef the lab system's own reference (sample, run, request): 1 to 200
     *     characters, no control characters; lists filter by it
     */
    record CreateDatasetRequest(@NotBlank @Size(max = 200) String name, @Size(max = 2000) String description,
            @Min(2) @Max(1000) Integer stepCount,
            @Schema(description = "The lab system's own reference (sample, run, request); 1-200 characters, no control characters",
                    maxLength = ExternalRefs.MAX_LENGTH) String externalRef) {
    }

    record DatasetPage(List<DatasetSummary> items, String nextCursor) {
    }

    @PostMapping
    @Operation(summary = "Create a dataset")
    ResponseEntity<DatasetSummary> create(@Valid @RequestBody CreateDatasetRequest request) {
        DatasetSummary created = service.create(request.name(), request.description(), "UPLOAD",
                request.stepCount() == null ? 20 : request.stepCount(), ExternalRefs.check(request.externalRef()));
        return ResponseEntity.created(URI.create("/api/v1/datasets/" + created.id())).body(created);
    }

    @GetMapping
    @Operation(summary = "List datasets (cursor paging); externalRef filters by the lab system's reference")
    DatasetPage list(@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) String externalRef) {
        ExternalRefs.check(externalRef);
        String after = ProfileDocuments.fromCursor(cursor);
        long afterId;
        try {
            afterId = after == null ? 0 : Long.parseLong(after);
        } catch (NumberFormatException e) {
            afterId = 0;
        }
        List<DatasetSummary> items = service.list(afterId, limit, externalRef);
        String next = items.size() == limit ? ProfileDocuments.cursor(Long.toString(items.get(items.size() - 1).id())) : null;
        return new DatasetPage(items, next);
    }

    @GetMapping("/{id}")
    @Operation(summary = "A dataset with its profile count and condition ranges")
    DatasetSummary get(@PathVariable long id) {
        return service.get(id);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a dataset and its profiles; 409 while a model, a queued or running job or another record uses it")
    ResponseEntity<Void> delete(@PathVariable long id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }
}
