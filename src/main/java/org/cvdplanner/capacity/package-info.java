/**
 * Limits on what one request may cost: body sizes per route and a bounded number of CPU-heavy
 * synchronous requests at a time (simulation runs, proposals, predictions, analyses).
 */
package org.cvdplanner.capacity;
