package org.cvdplanner.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import org.cvdplanner.testkit.ServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Seeded randomized fuzzing of every upload format and every JSON endpoint: valid bodies
 * mutated (truncated, spliced with hostile bytes, numbers swapped for extremes, types swapped,
 * fields added, nested deep, strings made huge) and hostile query parameters. Every answer
 * must be below 500, every 4xx a problem detail, and the fuzzed dataset must hold exactly what
 * the 2xx answers report (nothing half-written). Same configuration as the upload tests, so
 * the server is shared.
 */
@ServiceTest
class FuzzRobustnessTests {

    static final long SEED = Long.getLong("robustness.fuzz.seed", 20_261_130L);
    static final int INPUTS = Integer.getInteger("robustness.fuzz.inputs", 2_400);
    static final String[] HOSTILE_NUMBERS = {"1e300", "-1e300", "1e999", "NaN", "\"NaN\"", "Infinity", "-Infinity",
            "99999999999999999999999999999", "-0", "0", "-1", "2147483648", "-2147483649", "9223372036854775808",
            "1.7976931348623157E308", "4.9E-324", "null", "\"\"", "\"x\"", "true", "[]", "{}", "1" + "0".repeat(500)};
    static final String[] HOSTILE_STRINGS = {"", " ", "\\u0000", "\\u001b[31m", "\u202e", "'; drop table profile; --",
            "../../etc/passwd", "%00", "\uD83D\uDE00", "\\\\", "\\\"", "x".repeat(70_000)};

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper mapper;


    record Target(String name, String method, Function<Random, String> path, String contentType,
            Function<Random, String> body) {
    }

    @Test
    void thousandsOfMalformedAndHostileInputsGetProblemDetailsAndNeverA5xxOrAPartialWrite() throws Exception {
        TestHttp http = TestHttp.at(port).withTimeout(Duration.ofSeconds(60));
        long datasetId = http.post("/api/v1/datasets", "{\"name\":\"fuzz\"}").json().get("id").asLong();
        String profiles = "/api/v1/datasets/" + datasetId + "/profiles";
        List<Target> targets = targets(profiles);

        Random random = new Random(SEED);
        Map<String, Map<Integer, Integer>> statusesByTarget = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long expectedProfiles = 0;
        long started = System.nanoTime();
        long peakMiB;
        try (RobustnessReport.HeapSampler heap = new RobustnessReport.HeapSampler()) {
            for (int i = 0; i < INPUTS; i++) {
                Target target = targets.get(random.nextInt(targets.size()));
                String path = target.path().apply(random);
                String body = target.body() == null ? null : target.body().apply(random);
                HttpRequest.Builder request = http.request(path);
                if (body == null) {
                    request.method(target.method(), HttpRequest.BodyPublishers.noBody());
                } else {
                    request.header("Content-Type", random.nextInt(20) == 0 ? randomContentType(random) : target.contentType())
                            .method(target.method(), HttpRequest.BodyPublishers.ofByteArray(bytes(body, random)));
                }
                TestHttp.Response response = http.send(request.build());
                statusesByTarget.computeIfAbsent(target.name(), k -> new TreeMap<>()).merge(response.status(), 1, Integer::sum);
                String problem = check(response);
                if (problem != null) {
                    failures.add(target.name() + " #" + i + ": " + problem + " <- " + abbreviate(body));
                }
                if (target.name().startsWith("upload") && response.status() / 100 == 2) {
                    expectedProfiles += mapper.readTree(response.body()).get("created").asLong();
                }
                if (response.status() == 202) {
                    // a job was accepted after all: cancel it so it writes nothing
                    String id = mapper.readTree(response.body()).get("id").asString();
                    http.post("/api/v1/jobs/" + id + "/cancel", null);
                }
            }
            peakMiB = heap.peakMiB();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long stored = jdbc.queryForObject("select count(*) from profile where dataset_id = ?", Long.class, datasetId);
        long fiveHundreds = statusesByTarget.values().stream().flatMap(m -> m.entrySet().stream())
                .filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();

        StringBuilder md = new StringBuilder("## Fuzzing (" + INPUTS + " inputs, seed " + SEED + ")\n\n");
        md.append(String.format("%d generated inputs over %d targets in %.1f s; **5xx answers: %d**; answers that were not a "
                + "problem detail or broke a rule: %d; profiles stored %d = reported created %d (no partial write); "
                + "peak used heap of the test JVM (service included) %d MiB.%n%n",
                INPUTS, targets.size(), seconds, fiveHundreds, failures.size(), stored, expectedProfiles, peakMiB));
        md.append("| target | answers by status |\n|---|---|\n");
        statusesByTarget.forEach((name, statuses) -> md.append("| ").append(name).append(" | ").append(statuses).append(" |\n"));
        if (!failures.isEmpty()) {
            md.append("\nFirst failures:\n\n");
            failures.stream().limit(20).forEach(f -> md.append("- ").append(f.replace("|", "\\|")).append('\n'));
        }
        RobustnessReport.section("10-fuzzing", md.toString());

        assertThat(failures).as("answers that broke a rule").isEmpty();
        assertThat(fiveHundreds).isZero();
        assertThat(stored).as("stored = what the 2xx answers reported created").isEqualTo(expectedProfiles);
    }

    /** null when the answer is fine; else what is wrong with it. */
    private String check(TestHttp.Response response) {
        int status = response.status();
        if (status >= 500 && status != 503) {
            return "status " + status + ": " + abbreviate(response.body());
        }
        if (status == 503) {
            // only the capacity limits may answer 503 here (the database is up)
            return response.headers().firstValue("Retry-After").isPresent() ? null : "503 without Retry-After";
        }
        if (status >= 400) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("application/problem+json")) {
                return "status " + status + " with Content-Type '" + type + "'";
            }
            try {
                JsonNode problem = mapper.readTree(response.body());
                if (problem.get("status") == null || problem.get("status").asInt() != status || problem.get("detail") == null) {
                    return "problem detail without matching status or detail: " + abbreviate(response.body());
                }
            } catch (RuntimeException e) {
                return "unparseable problem detail: " + abbreviate(response.body());
            }
        }
        return null;
    }

    private List<Target> targets(String profiles) {
        UUID none = UUID.fromString("00000000-0000-0000-0000-00000000f00d");
        List<Target> t = new ArrayList<>();
        t.add(new Target("upload json", "POST", r -> profiles + phaseUnit(r), "application/json", r -> mutate(json(r, false), r)));
        t.add(new Target("upload ndjson", "POST", r -> profiles + phaseUnit(r), "application/x-ndjson", r -> mutate(json(r, true), r)));
        t.add(new Target("upload csv", "POST", r -> profiles + phaseUnit(r), "text/csv", r -> mutateCsv(csv(r), r)));
        t.add(new Target("create dataset", "POST", r -> "/api/v1/datasets", "application/json",
                r -> mutate("{\"name\":\"fuzz " + r.nextInt(1000) + "\",\"description\":\"d\",\"stepCount\":20}", r)));
        t.add(new Target("simulation runs", "POST", r -> "/api/v1/simulations/runs", "application/json",
                r -> mutate("{\"schedules\":[{\"steps\":" + conditions(r, 20) + "}],\"replicas\":1,\"seed\":1}", r)));
        t.add(new Target("simulation campaign", "POST", r -> "/api/v1/datasets/987654321/simulations", "application/json",
                r -> mutate("{\"count\":10,\"seed\":1,\"scheduleSource\":\"RANDOM_WALK\"}", r)));
        t.add(new Target("nade training", "POST", r -> "/api/v1/jobs/nade-training", "application/json",
                r -> mutate("{\"datasetId\":987654321,\"epochs\":3,\"batchSize\":32,\"nd4jThreads\":1,\"timeBudgetSeconds\":10,"
                        + "\"learningRate\":0.001}", r)));
        t.add(new Target("agent training", "POST", r -> "/api/v1/jobs/agent-training", "application/json",
                r -> mutate("{\"nadeModelId\":\"" + none + "\",\"episodes\":64,\"batchSize\":32,\"sigma\":0.5}", r)));
        t.add(new Target("proposals", "POST", r -> "/api/v1/agents/" + (r.nextBoolean() ? none : "not-a-uuid") + "/proposals",
                "application/json", r -> mutate("{\"count\":2,\"mode\":\"MEAN\",\"rollouts\":8,\"steps\":20}", r)));
        t.add(new Target("predictions", "POST", r -> "/api/v1/models/" + none + "/predictions", "application/json",
                r -> mutate("{\"schedules\":[" + conditions(r, 20) + "],\"rollouts\":4}", r)));
        t.add(new Target("validations", "POST", r -> "/api/v1/proposals/" + none + "/validations", "application/json",
                r -> mutate("{\"replicas\":2,\"seed\":1}", r)));
        t.add(new Target("query parameters", "GET", r -> switch (r.nextInt(6)) {
            case 0 -> "/api/v1/jobs?limit=" + query(r) + "&cursor=" + query(r);
            case 1 -> "/api/v1/datasets?limit=" + query(r) + "&cursor=" + query(r);
            case 2 -> profiles + "?limit=" + query(r) + "&cursor=" + query(r);
            case 3 -> "/api/v1/models?limit=" + query(r) + "&datasetId=" + query(r);
            case 4 -> "/api/v1/agents/" + none + "/analyses/initial-s2?count=" + query(r) + "&bins=" + query(r);
            default -> profiles + "/export?format=" + query(r);
        }, null, null));
        return t;
    }

    private static String phaseUnit(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> "?phaseUnit=COUNT";
            case 1 -> "?phaseUnit=" + query(r);
            default -> "";
        };
    }

    private static String query(Random r) {
        String[] values = {"-1", "0", "1", "500", "501", "99999999999999999999", "abc", "%25", "%00", "1e3", "",
                "NaN", "%E2%80%AE", "x".repeat(300), "-2147483648"};
        return values[r.nextInt(values.length)];
    }

    private static String conditions(Random r, int n) {
        StringBuilder s = new StringBuilder("[");
        for (int t = 0; t < n; t++) {
            s.append(t == 0 ? "" : ",").append(String.format("{\"temperatureK\":%d,\"s2\":%d,\"h2\":%d,\"h2s\":%d}",
                    1000 + r.nextInt(2000), 20 + r.nextInt(200), 20 + r.nextInt(200), 20 + r.nextInt(150)));
        }
        return s.append(']').toString();
    }

    /** A valid profile of 20 steps (phases sum to 1) with a fresh id. */
    private static String profile(Random r) {
        StringBuilder s = new StringBuilder("{\"externalId\":\"f-" + Long.toHexString(r.nextLong()) + "\",\"steps\":[");
        for (int t = 0; t < 20; t++) {
            double a = r.nextDouble();
            double b = (1 - a) * r.nextDouble();
            s.append(t == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT,
                    "{\"t\":%d,\"temperatureK\":%d,\"s2\":%d,\"h2\":%d,\"h2s\":%d,\"phase2H\":%.6f,\"phase1T\":%.6f,\"phaseDefect\":%.6f}",
                    t, 1000 + r.nextInt(2000), 20 + r.nextInt(200), 20 + r.nextInt(200), 20 + r.nextInt(150), a, b, 1 - a - b));
        }
        return s.append("]}").toString();
    }

    private static String json(Random r, boolean ndjson) {
        int n = 1 + r.nextInt(3);
        List<String> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ps.add(profile(r));
        }
        return ndjson ? String.join("\n", ps) + "\n" : "[" + String.join(",", ps) + "]";
    }

    private static String csv(Random r) {
        StringBuilder s = new StringBuilder("profile_id,t,temperature_k,s2,h2,h2s,phase_2h,phase_1t,phase_defect\n");
        String id = "c-" + Long.toHexString(r.nextLong());
        for (int t = 0; t < 20; t++) {
            double a = r.nextDouble();
            double b = (1 - a) * r.nextDouble();
            s.append(String.format(java.util.Locale.ROOT, "%s,%d,%d,%d,%d,%d,%.6f,%.6f,%.6f%n", id, t, 1000 + r.nextInt(2000),
                    20 + r.nextInt(200), 20 + r.nextInt(200), 20 + r.nextInt(150), a, b, 1 - a - b));
        }
        return s.toString();
    }

    /** One to three mutations of a JSON text (a few bodies stay valid, most do not). */
    private static String mutate(String body, Random r) {
        String s = body;
        int mutations = 1 + r.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            s = switch (r.nextInt(12)) {
                case 0 -> s.substring(0, r.nextInt(s.length() + 1));
                case 1 -> replaceNumber(s, r, HOSTILE_NUMBERS[r.nextInt(HOSTILE_NUMBERS.length)]);
                case 2 -> replaceNumber(s, r, HOSTILE_NUMBERS[r.nextInt(HOSTILE_NUMBERS.length)]);
                case 3 -> splice(s, r, randomText(r));
                case 4 -> s.replaceFirst("\"[a-zA-Z0-9]+\":", "\"" + pick(r, "unknownField", "externalId", "steps", "t",
                        "__proto__", "") + "\":");
                case 5 -> s.replaceFirst("\"(externalId|name|mode|objective)\":\"[^\"]*\"",
                        "\"$1\":\"" + HOSTILE_STRINGS[r.nextInt(HOSTILE_STRINGS.length)] + "\"");
                case 6 -> "[".repeat(2_000) + "]".repeat(2_000);
                case 7 -> s.replaceFirst("\\[", "{").replaceFirst("]", "}");
                case 8 -> s.replaceFirst("\"steps\":\\[", "\"steps\":[" + "{\"t\":0},".repeat(2_000 + r.nextInt(5_000)));
                case 9 -> s.replace(":", r.nextBoolean() ? "::" : ":null,\"x\":");
                case 10 -> r.nextBoolean() ? "" : "null";
                default -> s + s;
            };
        }
        return s;
    }

    private static String mutateCsv(String body, Random r) {
        String s = body;
        int mutations = 1 + r.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            s = switch (r.nextInt(10)) {
                case 0 -> s.substring(0, r.nextInt(s.length() + 1));
                case 1 -> s.replaceFirst(",[0-9.]+\n", "," + pick(r, "1e300", "NaN", "-Infinity", "", "x", "\"", "-5", "1e999") + "\n");
                case 2 -> s.replaceFirst("phase_defect", pick(r, "phase_defect,extra", "phase_defect,phase_defect", "", "PHASE"));
                case 3 -> splice(s, r, randomText(r));
                case 4 -> s.replace(",", r.nextBoolean() ? ";" : ",,");
                case 5 -> "\uFEFF" + s.replace("\n", "\r\n");
                case 6 -> s + s.substring(s.indexOf('\n') + 1); // the same profile twice, not contiguous-safe
                case 7 -> s.replaceFirst("\n", "\n\"unterminated,");
                case 8 -> s.substring(0, s.indexOf('\n') + 1) + "x".repeat(70_000) + "\n";
                default -> s.replaceAll("(?m)^(c-[0-9a-f]+),", "$1,").replaceFirst("(?m)^c-[0-9a-f]+,3,", "c-other,3,");
            };
        }
        return s;
    }

    private static String replaceNumber(String s, Random r, String replacement) {
        var matcher = java.util.regex.Pattern.compile("(?<=:)-?[0-9][0-9.eE+-]*").matcher(s);
        List<int[]> spans = new ArrayList<>();
        while (matcher.find()) {
            spans.add(new int[] {matcher.start(), matcher.end()});
        }
        if (spans.isEmpty()) {
            return s;
        }
        int[] span = spans.get(r.nextInt(spans.size()));
        return s.substring(0, span[0]) + replacement + s.substring(span[1]);
    }

    private static String splice(String s, Random r, String insert) {
        int at = r.nextInt(s.length() + 1);
        return s.substring(0, at) + insert + s.substring(at);
    }

    private static String randomText(Random r) {
        StringBuilder s = new StringBuilder();
        int n = 1 + r.nextInt(16);
        for (int i = 0; i < n; i++) {
            s.append((char) (r.nextBoolean() ? r.nextInt(0x80) : r.nextInt(0xD7FF)));
        }
        return s.toString();
    }

    private static byte[] bytes(String body, Random r) {
        byte[] utf8 = body.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0 && r.nextInt(25) == 0) {
            // invalid UTF-8 sequences
            utf8[r.nextInt(utf8.length)] = (byte) (0x80 | r.nextInt(0x40));
            utf8[r.nextInt(utf8.length)] = (byte) 0xFF;
        }
        return utf8;
    }

    private static String randomContentType(Random r) {
        return pick(r, "text/plain", "application/xml", "application/json; charset=latin1", "text/csv; charset=utf-16",
                "multipart/form-data; boundary=x", "application/x-ndjson", "*/*", "garbage");
    }

    private static String pick(Random r, String... values) {
        return values[r.nextInt(values.length)];
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "(no body)";
        }
        String oneLine = s.replace('\n', ' ');
        return oneLine.length() > 160 ? oneLine.substring(0, 160) + "…" : oneLine;
    }
}
