package org.cvdplanner.simulation;

/**
 * Every constant of the kinetic lattice model in one place. Rates are in 1/ns, temperatures in
 * kelvin, gas amounts enter as {@code c = molecules / gasScale}. See docs/simulator.md for the
 * mechanism each constant controls and the calibration targets they were chosen to meet.
 *
 * <p>Transitions of one site (n = number of the 6 neighbours in the named states):
 * <pre>
 * OXIDE     → REDUCED    k = reduction(T) · (1 + reductionH2Gain·c_H2) / (1 + reductionS2Suppression·c_S2)
 * REDUCED   → AMORPHOUS  k = sulfidation(T) · (c_S2 + sulfidationH2sWeight·c_H2S)
 * AMORPHOUS → PHASE_1T   k = nucleation1T(T) · (1 + nucleationNeighbourGain·n_{1T or 2H})
 * PHASE_1T  → PHASE_2H   k = crystallisation2H(T) · (1 + crystallisationNeighbourGain·n_{2H})
 * PHASE_2H  → AMORPHOUS  k = disordering(T)
 * PHASE_1T  → AMORPHOUS  k = disordering1TFactor · disordering(T)
 * </pre>
 * A site with exit rate k leaves its state during a sub-step of length dt with probability
 * {@code 1 − exp(−k·dt)}; a 1T site chooses between its two exits in proportion to their rates.
 *
 * @param reduction O evolution / self-reduction of MoO3 (needs high T, onset ~2800 K)
 * @param reductionH2Gain how much H2 helps the reduction (per unit of c_H2)
 * @param reductionS2Suppression how much S2 suppresses it (per unit of c_S2): a sulfur-rich gas
 *     hinders O evolution, so a low initial S2 helps (the paper's "partial vacuum" finding)
 * @param sulfidation sulfur uptake by reduced sites
 * @param sulfidationH2sWeight sulfur delivered by one H2S relative to one S2
 * @param nucleation1T ordering of amorphous MoOxSy into 1T (kinetically favoured, comes first)
 * @param nucleationNeighbourGain growth bonus per crystalline (1T or 2H) neighbour
 * @param crystallisation2H 1T → 2H transformation; slow below ~1700 K
 * @param crystallisationNeighbourGain growth bonus per 2H neighbour
 * @param disordering thermal disordering of 2H back to amorphous (significant above ~2800 K)
 * @param disordering1TFactor how much faster 1T disorders than 2H
 * @param gasScale molecules per unit of concentration (c = count / gasScale)
 * @param subStepsPerStep sub-steps per 1-ns step (dt = 1 ns / subStepsPerStep)
 */
public record SimulatorConstants(
        Arrhenius reduction, double reductionH2Gain, double reductionS2Suppression,
        Arrhenius sulfidation, double sulfidationH2sWeight,
        Arrhenius nucleation1T, double nucleationNeighbourGain,
        Arrhenius crystallisation2H, double crystallisationNeighbourGain,
        Arrhenius disordering, double disordering1TFactor,
        double gasScale, int subStepsPerStep) {

    /** Length of one step of a profile, in ns (the RMD data's 1 ns). */
    public static final double STEP_NS = 1.0;

    /** The calibrated constants (docs/simulator.md lists the targets they meet). */
    public static final SimulatorConstants DEFAULT = new SimulatorConstants(
            new Arrhenius(5.4e4, 36_000), 0.5, 2.0,
            new Arrhenius(50, 8_000), 0.5,
            new Arrhenius(2e3, 20_000), 0.6,
            new Arrhenius(1e4, 22_000), 0.6,
            new Arrhenius(2.9e5, 34_500), 2.0,
            100, 10);

    public SimulatorConstants {
        requireNonNegative("reductionH2Gain", reductionH2Gain);
        requireNonNegative("reductionS2Suppression", reductionS2Suppression);
        requireNonNegative("sulfidationH2sWeight", sulfidationH2sWeight);
        requireNonNegative("nucleationNeighbourGain", nucleationNeighbourGain);
        requireNonNegative("crystallisationNeighbourGain", crystallisationNeighbourGain);
        requireNonNegative("disordering1TFactor", disordering1TFactor);
        if (!(gasScale > 0) || !Double.isFinite(gasScale)) {
            throw new IllegalArgumentException("gasScale must be finite and > 0: " + gasScale);
        }
        if (subStepsPerStep < 1 || subStepsPerStep > 10_000) {
            throw new IllegalArgumentException("subStepsPerStep must be in 1..10000: " + subStepsPerStep);
        }
        java.util.Objects.requireNonNull(reduction, "reduction");
        java.util.Objects.requireNonNull(sulfidation, "sulfidation");
        java.util.Objects.requireNonNull(nucleation1T, "nucleation1T");
        java.util.Objects.requireNonNull(crystallisation2H, "crystallisation2H");
        java.util.Objects.requireNonNull(disordering, "disordering");
    }

    /** Sub-step length in ns. */
    public double subStepNs() {
        return STEP_NS / subStepsPerStep;
    }

    private static void requireNonNegative(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0: " + value);
        }
    }
}
