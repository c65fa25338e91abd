package org.cvdplanner.nade;

import java.util.Optional;
import java.util.UUID;

/**
 * The stored NADE-CVD models, for other features (the agent trains against one):
 *
 * <pre>{@code
 * NadeModel model = nadeModels.load(modelId);        // verified by SHA-256, cached
 * NadeRollout env = model.newRollout(32);
 * }</pre>
 */
public interface NadeModels {

    /**
     * The model with this id, deserialised from its stored artifact after checking the
     * artifact's SHA-256 against the stored one. Cached: repeated loads are cheap.
     *
     * @throws NadeModelNotFoundException when there is none (404)
     */
    NadeModel load(UUID id);

    /** The model marked default, if any. */
    Optional<UUID> defaultModelId();

    /** Registry facts about a model. */
    Optional<NadeModelInfo> find(UUID id);
}
