/**
 * Cross-cutting plumbing: the embedded PostgreSQL default, problem details, OpenAPI. Features
 * may depend on it; it depends on no feature.
 */
package org.cvdplanner.system;
