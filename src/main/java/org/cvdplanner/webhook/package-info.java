/**
 * Webhooks in the Standard Webhooks form: subscriptions per event type, events written to an
 * outbox by the database in the transaction of the change, delivered by a db-scheduler task
 * with exponential back-off, a delivery log and manual redelivery. See docs/webhooks.md.
 */
package org.cvdplanner.webhook;
