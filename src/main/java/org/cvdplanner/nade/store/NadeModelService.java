package org.cvdplanner.nade.store;

import org.cvdplanner.nade.NadeEvaluation;
import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.nade.NadeModelInfo;
import org.cvdplanner.nade.NadeModelNotFoundException;
import org.cvdplanner.nade.NadeModels;
import org.cvdplanner.nade.NadeProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.cvdplanner.artifact.VerifiedCache;
import org.springframework.stereotype.Service;

/**
 * The model registry: stores trained versions, lists them, marks the default, and loads models
 * for prediction (only artifacts whose SHA-256 matches the stored hash; an LRU cache keeps the
 * last few deserialised models, which are immutable).
 */
@Service
public class NadeModelService implements NadeModels {

    private final NadeModelRepository repository;
    private final VerifiedCache<UUID, NadeModel> cache;

    NadeModelService(NadeModelRepository repository, NadeProperties properties) {
        this.repository = repository;
        this.cache = new VerifiedCache<>(properties.modelCacheSize());
    }

    @Override
    public NadeModel load(UUID id) {
        return cache.get(id, key -> {
            NadeModelRepository.Artifact artifact = repository.artifact(key)
                    .orElseThrow(() -> new NadeModelNotFoundException(key));
            return NadeModel.fromBytes(artifact.bytes(), artifact.sha256());
        });
    }

    @Override
    public Optional<UUID> defaultModelId() {
        return repository.defaultId();
    }

    @Override
    public Optional<NadeModelInfo> find(UUID id) {
        return repository.find(id);
    }

    public NadeModelInfo get(UUID id) {
        return repository.find(id).orElseThrow(() -> new NadeModelNotFoundException(id));
    }

    public List<NadeModelInfo> list(Long datasetId, int limit) {
        return repository.list(datasetId, limit);
    }

    public NadeModelInfo makeDefault(UUID id) {
        if (!repository.makeDefault(id)) {
            throw new NadeModelNotFoundException(id);
        }
        return get(id);
    }

    public UUID store(UUID trainingJobId, long datasetId, NadeModel model, Map<String, Object> split,
            NadeEvaluation evaluation) {
        return repository.insert(UUID.randomUUID(), trainingJobId, datasetId, model, split, evaluation.toMetrics(true),
                evaluation.nllPerProfile());
    }
}
