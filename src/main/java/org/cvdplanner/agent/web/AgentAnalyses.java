package org.cvdplanner.agent.web;

import org.cvdplanner.agent.AgentHyperParameters;
import org.cvdplanner.agent.AgentProperties;
import org.cvdplanner.agent.AgentRegistry;
import org.cvdplanner.agent.InitialS2Analysis;
import org.cvdplanner.agent.InvalidAgentParameterException;
import org.cvdplanner.agent.InvalidAgentRequestException;
import org.cvdplanner.agent.ProposalMode;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.UUID;

import org.cvdplanner.nade.NadeModels;
import org.springframework.stereotype.Service;

/** The initial-S2 analysis of the reference work, computed on request from a stored agent. */
@Service
public class AgentAnalyses {

    private final AgentRegistry registry;
    private final NadeModels nadeModels;
    private final AgentProperties properties;
    private final SecureRandom seeds = new SecureRandom();

    AgentAnalyses(AgentRegistry registry, NadeModels nadeModels, AgentProperties properties) {
        this.registry = registry;
        this.nadeModels = nadeModels;
        this.properties = properties;
    }

    /** Query parameters of the initial-S2 analysis; null means the default. */
    public record InitialS2Request(Integer count, Double lowS2Max, Double highS2Min, Integer lastSteps, Integer bins,
            String mode, String source, Long seed) {
    }

    /**
     * The distribution of the 2H fraction over the last steps of proposals started from low vs
     * high initial S2 (the reference work's Fig. 3c). Defaults: 3,200 schedules, the lower and
     * upper thirds of the agent's S2 range, the last 10 steps, 50 bins, SAMPLED, from NADE.
     */
    public InitialS2Analysis.Result initialS2(UUID agentId, InitialS2Request r) {
        AgentRegistry.LoadedAgent loaded = registry.load(agentId);
        AgentHyperParameters hp = loaded.agent().hyperParameters();
        double s2Min = hp.bounds().min(1);
        double s2Max = hp.bounds().max(1);
        int count = r.count() != null ? r.count() : 3200;
        if (count < 2 || count > properties.maxAnalysisSchedules()) {
            throw new InvalidAgentRequestException("count", "must be between 2 and " + properties.maxAnalysisSchedules());
        }
        count += count % 2;
        InitialS2Analysis.Source source;
        try {
            source = r.source() == null ? InitialS2Analysis.Source.NADE
                    : InitialS2Analysis.Source.valueOf(r.source().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidAgentRequestException("source", "'" + r.source() + "' is not one of NADE, SIMULATOR");
        }
        InitialS2Analysis.Settings settings = new InitialS2Analysis.Settings(count,
                r.lowS2Max() != null ? r.lowS2Max() : s2Min + (s2Max - s2Min) / 3,
                r.highS2Min() != null ? r.highS2Min() : s2Max - (s2Max - s2Min) / 3,
                r.lastSteps() != null ? r.lastSteps() : Math.min(10, hp.steps() - 1), r.bins() != null ? r.bins() : 50,
                r.mode() == null ? ProposalMode.SAMPLED : InvalidAgentRequestException.proposalMode(r.mode()), source,
                r.seed() != null ? r.seed() : seeds.nextLong());
        try {
            return InitialS2Analysis.run(loaded.agent(), nadeModels.load(loaded.nadeModelId()), settings,
                    properties.effectiveThreads());
        } catch (InvalidAgentParameterException e) {
            throw InvalidAgentRequestException.of(e);
        }
    }
}
