package org.cvdplanner.demo;

import java.time.Duration;

import org.cvdplanner.security.ApiKeys;
import org.cvdplanner.security.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Starts the demo pipeline in the background once the web server listens, when the database is
 * empty (or when forced), and keeps serving so the user can explore the results.
 */
@Component
class DemoRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoRunner.class);

    private final DemoProperties properties;
    private final ApiKeys keys;

    DemoRunner(DemoProperties properties, ApiKeys keys) {
        this.properties = properties;
        this.keys = keys;
    }

    @EventListener
    void onServerStarted(WebServerInitializedEvent event) {
        if (!properties.enabled() || event.getApplicationContext().getParent() != null) {
            return;
        }
        // the demo calls the API like any client: with its own key, valid for a day
        String key = keys.internalKey("demo", Duration.ofDays(1), Scope.READ, Scope.WRITE, Scope.TRAIN).orElse(null);
        ApiClient api = new ApiClient("http://localhost:" + event.getWebServer().getPort(), key);
        Thread thread = new Thread(() -> run(api), "demo-pipeline");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(ApiClient api) {
        try {
            JsonNode datasets = api.get("/api/v1/datasets?limit=1");
            if (!datasets.get("items").isEmpty() && !properties.force()) {
                log.info("demo: the database already holds datasets; not running the demo pipeline "
                        + "(--cvd-planner.demo.force=true runs it anyway)");
                return;
            }
            log.info("demo: empty database, running the whole pipeline as jobs (follow them at /api/v1/jobs; "
                    + "disable with --cvd-planner.demo.enabled=false)");
            new DemoPipeline(api).run(new DemoPipeline.Settings(properties.profiles(), properties.nadeEpochs(),
                    properties.nadeBatchSize(), properties.agentEpisodes(), properties.agentBatchSize(),
                    properties.proposals(), properties.validationReplicas(), properties.seed()));
        } catch (RuntimeException e) {
            log.error("demo: pipeline stopped: {}", e.getMessage());
        }
    }
}
