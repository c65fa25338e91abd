package org.cvdplanner.synthesis;

/**
 * The phase vector Z_t: fractions of the Mo atoms that are 2H, 1T and defect (everything else,
 * including unreacted MoO3). Each in [0, 1], summing to 1.
 */
public record PhaseVector(double phase2H, double phase1T, double phaseDefect) {

    public static final int SIZE = 3;
    /** Mo atoms in the reference RMD cell; phase counts are fractions times this. */
    public static final int MO_ATOMS = 288;
    /** Z_0: all MoO3, counted as defect. */
    public static final PhaseVector INITIAL = new PhaseVector(0, 0, 1);

    public double get(int component) {
        return switch (component) {
            case 0 -> phase2H;
            case 1 -> phase1T;
            case 2 -> phaseDefect;
            default -> throw new IndexOutOfBoundsException(component);
        };
    }

    public static PhaseVector of(double[] values) {
        return new PhaseVector(values[0], values[1], values[2]);
    }

    public double[] toArray() {
        return new double[] {phase2H, phase1T, phaseDefect};
    }
}
