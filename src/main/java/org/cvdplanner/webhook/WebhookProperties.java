package org.cvdplanner.webhook;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook delivery ({@code cvd-planner.webhooks.*}). See docs/webhooks.md.
 *
 * @param enabled run the delivery worker on this instance
 * @param pollInterval how often the worker looks for due deliveries
 * @param batchSize deliveries sent per round at most
 * @param maxInFlight requests in flight at once at most; no more are leased than can be sent at
 *     once, so a lease never runs out while its delivery waits its turn
 * @param requestTimeout how long a receiver may take to answer; a slower one counts as failed
 * @param firstRetry the wait after the first failed attempt; it doubles after each failure
 * @param maxRetryInterval the longest wait between two attempts
 * @param giveUpAfter how long after the event a delivery is retried before it is marked FAILED
 * @param heartbeatInterval how often the worker's round says it is alive; a round whose worker
 *     died (kill -9) is taken over after {@value #MISSED_HEARTBEATS} missed heartbeats
 *     (db-scheduler's default of 5 min x 6 stalled every delivery for half an hour)
 * @param secretEncryptionKey base64 of 32 bytes: signing secrets are stored sealed with
 *     AES-256-GCM under it; unset = stored in clear (a warning at start-up)
 */
@ConfigurationProperties("cvd-planner.webhooks")
record WebhookProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("200") int batchSize, @DefaultValue("32") int maxInFlight, @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("5s") Duration firstRetry, @DefaultValue("1h") Duration maxRetryInterval,
        @DefaultValue("24h") Duration giveUpAfter, @DefaultValue("2s") Duration heartbeatInterval,
        String secretEncryptionKey) {

    static final int MISSED_HEARTBEATS = 4;

    /** A delivery in flight is leased for longer than a request may take, so it is never sent twice at once. */
    Duration lease() {
        return requestTimeout.multipliedBy(2).plusSeconds(5);
    }

    /** The wait after the given number of failed attempts: firstRetry x 2^(n-1), at most maxRetryInterval. */
    Duration backoff(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
        Duration wait = firstRetry.multipliedBy(1L << doublings);
        return wait.compareTo(maxRetryInterval) > 0 ? maxRetryInterval : wait;
    }
}
