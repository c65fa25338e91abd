/**
 * NADE-CVD: the probabilistic model P(Z_{t+1} | Z_{0:t}, X_{0:t}) of how the phase fractions
 * evolve under a synthesis schedule, on Deeplearning4j. The science is plain Java (no Spring):
 *
 * <ul>
 *   <li>{@link org.cvdplanner.nade.NadeTrainer} (hyper-parameters in
 *       {@link org.cvdplanner.nade.NadeHyperParameters}) trains by maximum likelihood and returns
 *   <li>{@link org.cvdplanner.nade.NadeModel}: immutable; predicts (mean path, Monte-Carlo
 *       forecasts with bands), evaluates (the paper's metrics), serialises with provenance.
 *   <li>{@link org.cvdplanner.nade.NadeRollout}: the batched, stateful stepping API (one LSTM
 *       step per call, hidden state returned in {@link org.cvdplanner.nade.StepOutput}) that
 *       the agent's environment builds on.
 * </ul>
 *
 * Time convention: Z_t is the structure at the start of step t, X_t the conditions during step
 * t; feeding [Z_t, X_t] predicts Z_{t+1}.
 */
package org.cvdplanner.nade;
