/**
 * Retention: finished jobs, their metrics and checkpoints, and old proposals are deleted after
 * configurable periods, so the database does not grow without end.
 */
package org.cvdplanner.retention;
