package org.cvdplanner.simulation;

/**
 * A schedule the simulator cannot run: names the step and the condition at fault. The web layer
 * turns it into a problem detail.
 */
public class InvalidScheduleException extends IllegalArgumentException {

    private final int step;
    private final String field;

    public InvalidScheduleException(int step, String field, String reason) {
        super((step >= 0 ? "step " + step + ": " : "") + field + " " + reason);
        this.step = step;
        this.field = field;
    }

    /** The offending step, or −1 when the schedule as a whole is at fault (e.g. its length). */
    public int step() {
        return step;
    }

    /** The offending condition (temperatureK, s2, h2, h2s) or "steps". */
    public String field() {
        return field;
    }
}
