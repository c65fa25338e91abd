package org.cvdplanner.simulation;

/**
 * An Arrhenius rate {@code k(T) = prefactor · exp(−activation / T)} in events per nanosecond.
 *
 * @param prefactorPerNs the attempt rate A in 1/ns (≥ 0)
 * @param activationK the activation energy E expressed as a temperature (E / k_B) in kelvin (≥ 0)
 */
public record Arrhenius(double prefactorPerNs, double activationK) {

    public Arrhenius {
        if (!(prefactorPerNs >= 0) || !Double.isFinite(prefactorPerNs)) {
            throw new IllegalArgumentException("prefactor must be finite and >= 0: " + prefactorPerNs);
        }
        if (!(activationK >= 0) || !Double.isFinite(activationK)) {
            throw new IllegalArgumentException("activation must be finite and >= 0: " + activationK);
        }
    }

    /** The rate at temperature {@code temperatureK} (> 0), in 1/ns. Uses StrictMath: bit-identical everywhere. */
    public double rate(double temperatureK) {
        return prefactorPerNs * StrictMath.exp(-activationK / temperatureK);
    }
}
