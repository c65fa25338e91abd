package org.cvdplanner.synthesis;

/**
 * The conditions X_t applied during one step: temperature in kelvin and the numbers of S2, H2
 * and H2S molecules in the (RMD-sized) cell.
 */
public record ConditionVector(double temperatureK, double s2, double h2, double h2s) {

    public static final int SIZE = 4;

    public double get(int component) {
        return switch (component) {
            case 0 -> temperatureK;
            case 1 -> s2;
            case 2 -> h2;
            case 3 -> h2s;
            default -> throw new IndexOutOfBoundsException(component);
        };
    }

    public static ConditionVector of(double[] values) {
        return new ConditionVector(values[0], values[1], values[2], values[3]);
    }

    public double[] toArray() {
        return new double[] {temperatureK, s2, h2, h2s};
    }
}
