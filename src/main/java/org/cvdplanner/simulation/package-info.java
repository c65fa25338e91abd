/**
 * The built-in CVD simulator: a stochastic kinetic lattice model of MoS2 formation (plain Java:
 * {@link org.cvdplanner.simulation.CvdSimulator}, {@link org.cvdplanner.simulation.SimulatorConstants},
 * {@link org.cvdplanner.simulation.RandomWalkScheduleGenerator}), simulation campaigns that
 * fill datasets (a job), and the validation of any schedule over stochastic replicas (HTTP and
 * the {@link org.cvdplanner.simulation.SimulatorService} other features call). See
 * docs/simulator.md.
 */
package org.cvdplanner.simulation;
