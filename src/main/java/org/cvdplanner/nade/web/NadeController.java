package org.cvdplanner.nade.web;

import org.cvdplanner.nade.NadeModelInfo;
import org.cvdplanner.nade.NadeModelNotFoundException;
import org.cvdplanner.nade.store.NadeModelRepository;
import org.cvdplanner.nade.store.NadeModelService;
import org.cvdplanner.nade.training.NadeTrainingJob;
import org.cvdplanner.nade.training.NadeTrainingParameters;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.cvdplanner.job.JobResponses;
import org.cvdplanner.job.JobSubmitter;
import org.cvdplanner.job.SubmittedJob;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** NADE-CVD over HTTP: training jobs, the model registry, predictions. See docs/nade.md. */
@RestController
class NadeController {

    private final JobSubmitter jobs;
    private final NadeModelService models;
    private final NadeModelRepository repository;
    private final NadePredictions predictions;

    NadeController(JobSubmitter jobs, NadeModelService models, NadeModelRepository repository,
            NadePredictions predictions) {
        this.jobs = jobs;
        this.models = models;
        this.repository = repository;
        this.predictions = predictions;
    }

    /** Starts a training job: 202 + Location of the job; its result names the stored model. */
    @PostMapping("/api/v1/jobs/nade-training")
    ResponseEntity<SubmittedJob> train(@RequestBody NadeTrainingParameters parameters,
            @RequestHeader(name = JobResponses.IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
        return JobResponses.accepted(jobs.submit(NadeTrainingJob.TYPE, parameters, parameters.seed(), idempotencyKey,
                parameters.externalRef()));
    }

    record ModelPage(List<NadeModelInfo> models) {
    }

    @GetMapping("/api/v1/models")
    ModelPage list(@RequestParam(required = false) Long datasetId, @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidPredictionRequestException("limit", "must be between 1 and 500");
        }
        return new ModelPage(models.list(datasetId, limit));
    }

    /**
     * A model version with everything known about it: registry facts, hyper-parameters, split,
     * library versions and test metrics (fractions and atoms of 288).
     */
    record ModelView(NadeModelInfo model, JsonNode hyperParameters, JsonNode split, JsonNode versions, JsonNode metrics) {
    }

    @GetMapping("/api/v1/models/{id}")
    ModelView get(@PathVariable UUID id) {
        NadeModelInfo info = models.get(id);
        Map<String, JsonNode> docs = repository.documents(id).orElseThrow(() -> new NadeModelNotFoundException(id));
        return new ModelView(info, docs.get("hyperParameters"), docs.get("split"), docs.get("versions"),
                docs.get("metrics"));
    }

    /** Marks this model the default (the only one). */
    @PutMapping("/api/v1/models/{id}/default")
    NadeModelInfo makeDefault(@PathVariable UUID id) {
        return models.makeDefault(id);
    }

    @PostMapping("/api/v1/models/{id}/predictions")
    NadePredictions.Response predict(@PathVariable UUID id, @RequestBody NadePredictions.Request request) {
        return predictions.predict(id, request);
    }
}
