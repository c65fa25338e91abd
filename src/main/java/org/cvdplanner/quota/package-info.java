/**
 * Per-API-key quotas: a request rate (a token bucket per key, Bucket4j) and a cap on a key's
 * queued + running jobs. Both answer 429 problem details with Retry-After. Without keys
 * (security off) there is nobody to count, so neither applies. See docs/security.md.
 */
package org.cvdplanner.quota;
