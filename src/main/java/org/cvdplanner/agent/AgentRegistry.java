package org.cvdplanner.agent;

import org.cvdplanner.agent.store.AgentRepository;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.cvdplanner.artifact.VerifiedCache;
import org.springframework.stereotype.Service;

/**
 * The stored agents, for HTTP and for other features: find, list, and load trained agents
 * (deserialised only after their SHA-256 matches the stored one; an LRU cache keeps the last few,
 * which are immutable).
 */
@Service
public class AgentRegistry {

    private final AgentRepository repository;
    private final VerifiedCache<UUID, LoadedAgent> cache;

    AgentRegistry(AgentRepository repository, AgentProperties properties) {
        this.repository = repository;
        this.cache = new VerifiedCache<>(properties.agentCacheSize());
    }

    public Optional<AgentSummary> find(UUID id) {
        return repository.find(id);
    }

    /** @throws AgentNotFoundException when there is none */
    public AgentDetails get(UUID id) {
        return repository.details(id).orElseThrow(() -> new AgentNotFoundException(id));
    }

    /** Newest first, at most {@code limit}; only those trained on {@code nadeModelId} when it is not null. */
    public List<AgentSummary> list(UUID nadeModelId, int limit) {
        return repository.list(nadeModelId, limit);
    }

    /** The agent trained by this job, if it finished. */
    public Optional<UUID> findByTrainingJob(UUID jobId) {
        return repository.findByJob(jobId);
    }

    /** The trained agent and the id of its NADE model. @throws AgentNotFoundException when there is none */
    public LoadedAgent load(UUID id) {
        return cache.get(id, key -> {
            AgentRepository.Artifact artifact = repository.artifact(key)
                    .orElseThrow(() -> new AgentNotFoundException(key));
            return new LoadedAgent(key, artifact.nadeModelId(), Agent.fromBytes(artifact.bytes(), artifact.sha256()));
        });
    }

    /** A deserialised agent with its registry ids. */
    public record LoadedAgent(UUID id, UUID nadeModelId, Agent agent) {
    }

}
