/**
 * Idempotency-Key on creating POSTs: a retry with the same key and body gets the first
 * response (status, headers, body) again; the same key with another body is a 422. Job
 * submissions keep their own, job-backed idempotency. See docs/idempotency.md.
 */
package org.cvdplanner.idempotency;
