/**
 * Running the service: request ids in the logs, latency histograms of the model-serving
 * endpoints (docs/operations.md). Depends on no feature; features do not depend on it.
 */
package org.cvdplanner.operations;
