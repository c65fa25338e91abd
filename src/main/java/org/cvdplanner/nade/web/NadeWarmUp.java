package org.cvdplanner.nade.web;

import org.cvdplanner.nade.NadeProperties;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Loads ND4J's native backend when the service is ready, so no request pays for it (~1 s). */
@Component
class NadeWarmUp {

    private static final Logger log = LoggerFactory.getLogger(NadeWarmUp.class);
    private final NadeProperties properties;

    NadeWarmUp(NadeProperties properties) {
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        if (!properties.warmUp()) {
            return;
        }
        long started = System.nanoTime();
        Nd4j.create(new float[] {1f, 2f}, new long[] {1, 2}, 'c').sumNumber();
        log.info("ND4J backend {} loaded in {} ms", Nd4j.getBackend().getClass().getSimpleName(),
                (System.nanoTime() - started) / 1_000_000);
    }
}
