package org.cvdplanner.agent;

import org.cvdplanner.agent.training.AgentTrainingJob;
import org.cvdplanner.job.JobSubmitter;
import org.cvdplanner.job.SubmittedJob;
import org.springframework.stereotype.Service;

/**
 * Starts agent training as a job (for HTTP and for other features, e.g. the demo pipeline):
 * {@code submit(request, null)} validates the request (NADE model exists, hyper-parameters in
 * range), stores an {@code agent-training} job and returns where to follow it. The job's result
 * names the stored agent ({@code agentId}).
 */
@Service
public class AgentTraining {

    private final JobSubmitter jobs;

    AgentTraining(JobSubmitter jobs) {
        this.jobs = jobs;
    }

    public SubmittedJob submit(AgentTrainingParameters request, String idempotencyKey) {
        if (request == null) {
            throw new InvalidAgentRequestException("body", "a JSON object with at least nadeModelId is required");
        }
        return jobs.submit(AgentTrainingJob.TYPE, request, request.seed(), idempotencyKey, request.externalRef());
    }
}
