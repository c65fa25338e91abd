package org.cvdplanner.agent;

/** How a trained policy turns states into conditions when it proposes schedules. */
public enum ProposalMode {
    /** Actions are the policy mean μ(s) and the NADE mean is fed back: one schedule per X_0. */
    DETERMINISTIC,
    /** Actions are drawn from N(μ(s), σ²) and phases sampled from NADE: varied schedules. */
    SAMPLED;

    /** The mode named (case-insensitive); DETERMINISTIC when blank. @throws InvalidAgentParameterException naming "mode" */
    public static ProposalMode parse(String mode) {
        if (mode == null || mode.isBlank()) {
            return DETERMINISTIC;
        }
        try {
            return valueOf(mode.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidAgentParameterException("mode", "'" + mode + "' is not one of DETERMINISTIC, SAMPLED");
        }
    }
}
