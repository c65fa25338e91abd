package org.cvdplanner.proposal.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.cvdplanner.demo.ApiClient;
import org.cvdplanner.demo.DemoPipeline;
import org.cvdplanner.testkit.ServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The server-side proposal plot over HTTP, on a proposal made by a small real pipeline: PNG and
 * SVG with the schedule, the forecast with its bands and the simulator validation; bad sizes and
 * unknown proposals as problem details.
 */
@ServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProposalPlotTests {

    @LocalServerPort
    int port;

    String proposalId;
    JsonNode proposal;

    @BeforeAll
    void makeAProposal() {
        ApiClient api = new ApiClient("http://localhost:" + port);
        DemoPipeline.Summary summary = new DemoPipeline(api).run(new DemoPipeline.Settings(200, 2, 64, 128, 64, 2, 2, 5));
        proposalId = summary.proposalIds().get(0);
        proposal = api.get("/api/v1/proposals/" + proposalId);
    }

    HttpResponse<byte[]> get(String path) {
        return TestHttp.at(port).bytes(path);
    }

    @Test
    void pngIsAnImageOfTheRequestedSize() throws Exception {
        HttpResponse<byte[]> r = get("/api/v1/proposals/" + proposalId + "/plot.png?width=1000&height=640");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(image.getHeight()).isEqualTo(640);
        // not a blank canvas: the temperature line's red is drawn somewhere
        boolean red = false;
        for (int x = 0; x < image.getWidth() && !red; x += 2) {
            for (int y = 0; y < image.getHeight() && !red; y += 2) {
                red = image.getRGB(x, y) == (0xff000000 | ProposalFigure.TEMPERATURE_COLOUR.getRGB());
            }
        }
        assertThat(red).as("temperature line drawn").isTrue();
    }

    @Test
    void svgNamesEverySeriesIncludingTheValidation() throws Exception {
        HttpResponse<byte[]> r = get("/api/v1/proposals/" + proposalId + "/plot.svg");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        String svg = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(svg).contains("<svg").contains("width='900.0'").contains("height='700.0'");
        assertThat(svg).contains("temperature (K)", "S2", "H2S", "predicted 2H (mean, p5–p95)", "predicted 1T (mean, p5–p95)",
                "predicted defect (mean, p5–p95)", "simulated 2H (mean of 2)");
        assertThat(svg).contains(proposalId.substring(0, 8));
    }

    @Test
    void badSizesAndUnknownProposalsAreProblemDetails() throws Exception {
        HttpResponse<byte[]> small = get("/api/v1/proposals/" + proposalId + "/plot.png?width=10");
        assertThat(small.statusCode()).isEqualTo(400);
        assertThat(new String(small.body(), StandardCharsets.UTF_8)).contains("\"field\":\"width\"");
        HttpResponse<byte[]> unknown = get("/api/v1/proposals/" + UUID.randomUUID() + "/plot.svg");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<byte[]> notANumber = get("/api/v1/proposals/" + proposalId + "/plot.png?height=tall");
        assertThat(notANumber.statusCode()).isEqualTo(400);
    }
}
