package org.cvdplanner.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.cvdplanner.testkit.ServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The whole pipeline, small, through the HTTP API exactly as the demo (and a LIMS) drives it:
 * simulate → train NADE → train the agent → propose → validate on the simulator.
 */
@ServiceTest
class EndToEndPipelineTests {

    @LocalServerPort
    int port;

    @Test
    void runsTheWholePipelineSmallThroughTheApi() {
        ApiClient api = new ApiClient("http://localhost:" + port);
        DemoPipeline.Summary summary = new DemoPipeline(api).run(
                new DemoPipeline.Settings(300, 3, 64, 512, 64, 3, 4, 7));

        assertThat(api.get("/api/v1/datasets/" + summary.datasetId()).get("profileCount").asLong()).isEqualTo(300);
        JsonNode model = api.get("/api/v1/models/" + summary.nadeModelId());
        assertThat(model.path("metrics").isMissingNode()).isFalse();
        JsonNode agent = api.get("/api/v1/agents/" + summary.agentId());
        assertThat(agent.path("agent").path("nadeModelId").asString()).isEqualTo(summary.nadeModelId());
        assertThat(summary.proposalIds()).hasSize(3);
        JsonNode baselines = agent.path("baselines");
        double randomWalkMean = baselines.path("randomWalk").path("nadeMeanObjective").asDouble();
        assertThat(randomWalkMean).isPositive();
        String winner = baselines.path("winner").asString();
        java.util.List<String> methods = new java.util.ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (String proposalId : summary.proposalIds()) {
            JsonNode proposal = api.get("/api/v1/proposals/" + proposalId);
            assertThat(proposal.path("schedule")).hasSize(20);
            assertThat(proposal.path("predicted")).hasSize(20);
            methods.add(proposal.path("method").asString());
            best = Math.max(best, proposal.path("objectiveValue").asDouble());
        }
        // the science: the comparison's winner is among the proposals (the rest come from the
        // agent's policy), and the best proposal beats the random walks it was compared with
        assertThat(methods).contains(winner).allSatisfy(m -> assertThat(m).isIn(winner, "agent"));
        assertThat(best).as("best proposal vs random-walk mean").isGreaterThan(randomWalkMean);
        assertThat(summary.lines()).anyMatch(line -> line.contains("final 2H validated on the simulator"));
        assertThat(baselines.path("crossEntropy").path("schedules").asInt()).isPositive();
        // the proposal's recipe is what a furnace controller runs
        String recipe = TestHttp.at(port).get("/api/v1/proposals/" + summary.proposalIds().get(0) + "/recipe.csv").body();
        assertThat(recipe.lines().findFirst()).hasValue("step,time_ns,temperature_k,s2,h2,h2s");
        assertThat(recipe.lines().count()).isEqualTo(21);
    }
}
