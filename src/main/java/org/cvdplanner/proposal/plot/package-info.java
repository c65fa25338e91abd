/**
 * Server-side plots of a proposal (PNG and SVG) for LIMS attachments and reports: the schedule
 * (temperature and the three gases) above the forecast phase trajectories with their p5–p95 bands,
 * and the latest simulator validation when there is one. Reads proposals through the agent
 * feature's public {@code Proposals}; nothing else depends on it.
 */
package org.cvdplanner.proposal.plot;
