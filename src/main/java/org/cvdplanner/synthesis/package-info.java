/**
 * The shared vocabulary of the domain (condition vector, phase vector, schedule, trajectory,
 * profile) as plain immutable Java types. Every other feature may use it; it depends on nothing.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package org.cvdplanner.synthesis;
