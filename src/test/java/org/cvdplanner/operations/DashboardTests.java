package org.cvdplanner.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard (helm/cvd-planner/dashboards/cvd-planner.json) against the meters the
 * code defines: every cvdplanner_* series it queries is one the service can expose, and every
 * meter of the service has a panel.
 */
class DashboardTests {

    private static final Pattern METER = Pattern.compile("\"(cvdplanner(?:\\.[a-z]+)+)\"");
    private static final Pattern SERIES = Pattern.compile("\\b(cvdplanner_[a-z_]+)");
    private static final String[] SUFFIXES = {"", "_total", "_seconds", "_seconds_bucket", "_seconds_count",
            "_seconds_sum", "_seconds_max"};

    /** Meter names in the main sources, written as Prometheus names (dots to underscores). */
    private static Set<String> meters() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = METER.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1).replace('.', '_'));
                }
            }
        }
        return names;
    }

    @Test
    void everyQueryUsesAMeterOfTheServiceAndEveryMeterHasAPanel() throws IOException {
        Set<String> meters = meters();
        assertThat(meters).contains("cvdplanner_jobs", "cvdplanner_jobs_work", "cvdplanner_nade_predictions",
                "cvdplanner_agent_proposals", "cvdplanner_profiles_uploaded");
        JsonNode dashboard = JsonMapper.builder().build()
                .readTree(Path.of("helm/cvd-planner/dashboards/cvd-planner.json").toFile());
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("targets")).as(panel.get("title").asString()).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                Matcher m = SERIES.matcher(target.get("expr").asString());
                while (m.find()) {
                    queried.add(m.group(1));
                }
            }
        }
        for (String series : queried) {
            assertThat(meters.stream().anyMatch(meter -> Stream.of(SUFFIXES).anyMatch(s -> (meter + s).equals(series))))
                    .as("%s is not a meter of the service (%s)", series, meters).isTrue();
        }
        for (String meter : meters) {
            assertThat(queried.stream().anyMatch(series -> Stream.of(SUFFIXES).anyMatch(s -> (meter + s).equals(series))))
                    .as("no panel shows %s", meter).isTrue();
        }
    }
}
