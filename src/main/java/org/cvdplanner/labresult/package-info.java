/**
 * Lab results back in: the measured (or RMD-computed) phase trajectory of a proposed recipe,
 * whole or partial, compared with the prediction and, when whole, stored as a profile of a
 * chosen dataset so the next NADE training learns from it. See docs/lab-results.md.
 */
package org.cvdplanner.labresult;
