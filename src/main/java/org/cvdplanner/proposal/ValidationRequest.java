package org.cvdplanner.proposal;

/**
 * The body of {@code POST /api/v1/proposals/{id}/validations}; every field is optional.
 *
 * @param replicas simulator runs of the schedule (default 16)
 * @param seed the simulator seed (default: drawn and returned)
 */
public record ValidationRequest(Integer replicas, Long seed) {
}
