package org.cvdplanner.agent.web;

import org.cvdplanner.agent.AgentDetails;
import org.cvdplanner.agent.AgentRegistry;
import org.cvdplanner.agent.AgentSummary;
import org.cvdplanner.agent.AgentTraining;
import org.cvdplanner.agent.AgentTrainingParameters;
import org.cvdplanner.agent.InitialS2Analysis;
import org.cvdplanner.agent.InvalidAgentRequestException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.cvdplanner.job.SubmittedJob;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Agents over HTTP: training jobs, the registry and the initial-S2 analysis (proposals: the proposal module). */
@RestController
class AgentController {

    private final AgentTraining training;
    private final AgentRegistry registry;
    private final AgentAnalyses analyses;

    AgentController(AgentTraining training, AgentRegistry registry, AgentAnalyses analyses) {
        this.training = training;
        this.registry = registry;
        this.analyses = analyses;
    }

    /** Starts an {@code agent-training} job; 202 with the job's location. */
    @PostMapping("/api/v1/jobs/agent-training")
    ResponseEntity<SubmittedJob> train(@RequestBody(required = false) AgentTrainingParameters request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        SubmittedJob job = training.submit(request, idempotencyKey);
        return ResponseEntity.accepted().location(job.location()).body(job);
    }

    @GetMapping("/api/v1/agents")
    Map<String, List<AgentSummary>> list(@RequestParam(required = false) UUID nadeModelId,
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidAgentRequestException("limit", "must be between 1 and 1000");
        }
        return Map.of("items", registry.list(nadeModelId, limit));
    }

    @GetMapping("/api/v1/agents/{id}")
    AgentDetails get(@PathVariable UUID id) {
        return registry.get(id);
    }

    @GetMapping("/api/v1/agents/{id}/analyses/initial-s2")
    InitialS2Analysis.Result initialS2(@PathVariable UUID id, @RequestParam(required = false) Integer count,
            @RequestParam(required = false) Double lowS2Max, @RequestParam(required = false) Double highS2Min,
            @RequestParam(required = false) Integer lastSteps, @RequestParam(required = false) Integer bins,
            @RequestParam(required = false) String mode, @RequestParam(required = false) String source,
            @RequestParam(required = false) Long seed) {
        return analyses.initialS2(id, new AgentAnalyses.InitialS2Request(count, lowS2Max, highS2Min, lastSteps, bins,
                mode, source, seed));
    }
}
