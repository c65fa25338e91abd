package org.cvdplanner.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.cvdplanner.testkit.ServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

@ServiceTest
class ProfileUploadApiTests extends DatasetUploadTest {

    /** The value of one sample of /actuator/prometheus (0 when absent). */
    double scraped(String sample) {
        String body = http.get("/actuator/prometheus").body();
        return body.lines().filter(l -> l.startsWith(sample + " ")).mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void acceptedUploadsCountTheirProfilesInTheMetrics() {
        String created = "cvdplanner_profiles_uploaded_total{format=\"csv\",result=\"created\"}";
        String duplicate = "cvdplanner_profiles_uploaded_total{format=\"csv\",result=\"duplicate\"}";
        String uploads = "cvdplanner_profiles_upload_duration_seconds_count{format=\"csv\"}";
        double createdBefore = scraped(created);
        double duplicateBefore = scraped(duplicate);
        double uploadsBefore = scraped(uploads);
        String body = ProfileFixtures.csv(ProfileFixtures.ids("m", 5), 11);
        assertThat(http.send("POST", profiles(), "text/csv", body).status()).isEqualTo(201);
        assertThat(http.send("POST", profiles(), "text/csv", body).status()).isEqualTo(200);
        // a rejected upload is not counted
        assertThat(http.send("POST", profiles(), "text/csv", "profile_id,t\nx,oops\n").status()).isEqualTo(400);
        assertThat(scraped(created) - createdBefore).isEqualTo(5);
        assertThat(scraped(duplicate) - duplicateBefore).isEqualTo(5);
        assertThat(scraped(uploads) - uploadsBefore).isEqualTo(2);
    }

    @Test
    void storesJsonNdjsonAndCsvAndReportsCounts() {
        TestHttp.Response a = http.send("POST", profiles(), "application/json", ProfileFixtures.jsonArray(ProfileFixtures.ids("j", 3), 1));
        TestHttp.Response b = http.send("POST", profiles(), "application/x-ndjson", ProfileFixtures.ndjson(ProfileFixtures.ids("n", 4), 2));
        TestHttp.Response c = http.send("POST", profiles(), "text/csv", ProfileFixtures.csv(ProfileFixtures.ids("c", 5), 3));
        assertThat(List.of(a.status(), b.status(), c.status())).containsOnly(201);
        assertThat(json(c).get("created").asInt()).isEqualTo(5);
        assertThat(stored()).isEqualTo(12);

        JsonNode dataset = json(http.get("/api/v1/datasets/" + datasetId));
        assertThat(dataset.get("profileCount").asLong()).isEqualTo(12);
        assertThat(dataset.get("conditionRanges").get("min").get("temperatureK").asDouble()).isGreaterThanOrEqualTo(750);
        assertThat(dataset.get("stepCount").asInt()).isEqualTo(20);
    }

    @Test
    void reUploadIsIdempotentAndDifferentContentIsAConflictThatStoresNothing() {
        String body = ProfileFixtures.csv(ProfileFixtures.ids("p", 6), 7);
        assertThat(http.send("POST", profiles(), "text/csv", body).status()).isEqualTo(201);
        TestHttp.Response again = http.send("POST", profiles(), "text/csv", body);
        assertThat(again.status()).isEqualTo(200);
        assertThat(json(again).get("duplicates").asInt()).isEqualTo(6);
        assertThat(json(again).get("created").asInt()).isZero();
        assertThat(stored()).isEqualTo(6);

        // one new profile plus one existing id with other numbers: 409, and the new one is not stored either
        String conflicting = ProfileFixtures.csvHeader() + ProfileFixtures.csvRows("new-1", ProfileFixtures.steps(99, 20))
                + ProfileFixtures.csvRows("p-0", ProfileFixtures.steps(1234, 20));
        TestHttp.Response conflict = http.send("POST", profiles(), "text/csv", conflicting);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(json(conflict).get("profiles").get(0).asString()).isEqualTo("p-0");
        assertThat(stored()).isEqualTo(6);
    }

    @Test
    void sameContentInJsonAndCsvIsTheSameProfile() {
        double[][] steps = ProfileFixtures.steps(5, 20);
        assertThat(http.send("POST", profiles(), "application/json", "[" + ProfileFixtures.json("x", steps) + "]").status()).isEqualTo(201);
        TestHttp.Response csv = http.send("POST", profiles(), "text/csv", ProfileFixtures.csvHeader() + ProfileFixtures.csvRows("x", steps));
        assertThat(json(csv).get("duplicates").asInt()).isEqualTo(1);
    }

    @Test
    void acceptsPhaseCountsOf288Atoms() {
        double[][] steps = ProfileFixtures.steps(8, 20);
        StringBuilder csv = new StringBuilder(ProfileFixtures.csvHeader());
        for (double[] s : steps) {
            long h = Math.round(s[5] * 288);
            long o = Math.round(s[6] * 288);
            csv.append("counted,").append((int) s[0]).append(',').append(s[1]).append(',').append(s[2]).append(',')
                    .append(s[3]).append(',').append(s[4]).append(',').append(h).append(',').append(o).append(',')
                    .append(288 - h - o).append('\n');
        }
        TestHttp.Response response = http.send("POST", profiles() + "?phaseUnit=COUNT", "text/csv", csv.toString());
        assertThat(response.status()).isEqualTo(201);
        JsonNode profile = json(http.get(profiles() + "/counted"));
        JsonNode last = profile.get("steps").get(19);
        assertThat(last.get("phase2H").asDouble() + last.get("phase1T").asDouble() + last.get("phaseDefect").asDouble())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void pagesWithCursorAndExportsRoundTripInAllFormats() {
        List<String> ids = ProfileFixtures.ids("e", 25);
        http.send("POST", profiles(), "application/json", ProfileFixtures.jsonArray(ids, 11));
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = json(http.get(profiles() + "?limit=10" + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("items").forEach(item -> seen.add(item.get("externalId").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates().isSorted();

        for (String format : List.of("csv", "json", "ndjson")) {
            TestHttp.Response export = http.get(profiles() + "/export?format=" + format);
            assertThat(export.status()).isEqualTo(200);
            String type = switch (format) {
                case "csv" -> "text/csv";
                case "json" -> "application/json";
                default -> "application/x-ndjson";
            };
            // re-uploading the export finds 25 identical profiles: the export is lossless
            TestHttp.Response reupload = http.send("POST", profiles(), type, export.body());
            assertThat(reupload.status()).as(format).isEqualTo(200);
            assertThat(json(reupload).get("duplicates").asInt()).as(format).isEqualTo(25);
        }
        assertThat(stored()).isEqualTo(25);
    }

    @Test
    void unknownProfileAndDatasetAre404ProblemDetails() {
        TestHttp.Response missing = http.get(profiles() + "/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        assertThat(http.get("/api/v1/datasets/987654321").status()).isEqualTo(404);
        assertThat(http.send("POST", "/api/v1/datasets/987654321/profiles", "text/csv", ProfileFixtures.csv(List.of("a"), 1)).status())
                .isEqualTo(404);
    }

    @Test
    void deletesADatasetWithItsProfiles() {
        http.send("POST", profiles(), "text/csv", ProfileFixtures.csv(ProfileFixtures.ids("d", 2), 1));
        assertThat(http.delete("/api/v1/datasets/" + datasetId).status()).isEqualTo(204);
        assertThat(stored()).isZero();
        assertThat(http.get("/api/v1/datasets/" + datasetId).status()).isEqualTo(404);
    }

    // ---- table-driven bad inputs: each is a 4xx problem detail and stores nothing ----

    static String valid(String id) {
        return ProfileFixtures.json(id, ProfileFixtures.steps(42, 20));
    }

    /** A JSON array with one valid profile and one changed by {@code change} (a step's JSON edited). */
    static String jsonWith(UnaryOperator<String> change) {
        return "[" + valid("good") + "," + change.apply(valid("bad")) + "]";
    }

    static String csvWith(UnaryOperator<String> change) {
        return ProfileFixtures.csvHeader() + ProfileFixtures.csvRows("good", ProfileFixtures.steps(42, 20))
                + change.apply(ProfileFixtures.csvRows("bad", ProfileFixtures.steps(43, 20)));
    }

    static String replaceField(String json, String field, String value) {
        // replaces the field in step 7 only
        int step = json.indexOf("{\"t\":7,");
        int start = json.indexOf("\"" + field + "\":", step) + field.length() + 3;
        int end = start;
        while (json.charAt(end) != ',' && json.charAt(end) != '}') {
            end++;
        }
        return json.substring(0, start) + value + json.substring(end);
    }

    static String csvLine7(String csv, int column, String value) {
        String[] lines = csv.split("\n", -1);
        String[] cells = lines[7].split(",", -1);
        cells[column] = value;
        lines[7] = String.join(",", cells);
        return String.join("\n", lines);
    }

    static Stream<Arguments> badInputs() {
        String j = "application/json";
        String csv = "text/csv";
        String nd = "application/x-ndjson";
        return Stream.of(
                Arguments.of("NaN temperature (CSV)", csv, csvWith(c -> csvLine7(c, 2, "NaN")), "", 422, "temperatureK"),
                Arguments.of("Infinity s2 (CSV)", csv, csvWith(c -> csvLine7(c, 3, "Infinity")), "", 422, "s2"),
                Arguments.of("-Infinity h2 (CSV)", csv, csvWith(c -> csvLine7(c, 4, "-Infinity")), "", 422, "h2"),
                Arguments.of("NaN in JSON is not JSON", j, jsonWith(s -> replaceField(s, "h2s", "NaN")), "", 400, null),
                Arguments.of("temperature zero", j, jsonWith(s -> replaceField(s, "temperatureK", "0")), "", 422, "temperatureK"),
                Arguments.of("temperature negative", j, jsonWith(s -> replaceField(s, "temperatureK", "-300")), "", 422, "temperatureK"),
                Arguments.of("negative s2", j, jsonWith(s -> replaceField(s, "s2", "-1")), "", 422, "s2"),
                Arguments.of("negative h2", j, jsonWith(s -> replaceField(s, "h2", "-0.5")), "", 422, "h2"),
                Arguments.of("negative h2s", csv, csvWith(c -> csvLine7(c, 5, "-3")), "", 422, "h2s"),
                Arguments.of("2H above 1", j, jsonWith(s -> replaceField(s, "phase2H", "1.5")), "", 422, "phase2H"),
                Arguments.of("1T below 0", j, jsonWith(s -> replaceField(s, "phase1T", "-0.2")), "", 422, "phase1T"),
                Arguments.of("phases do not sum to 1", j, jsonWith(s -> replaceField(s, "phaseDefect", "0.3")), "", 422, "phases"),
                Arguments.of("missing field", j, jsonWith(s -> s.replace(",\"h2\":", ",\"unused\":").replaceFirst("\"unused\":", "\"h2\":").replace("\"t\":7,\"temperatureK\"", "\"t\":7,\"ignored\":1,\"temperatureK\"")), "", 400, null),
                Arguments.of("null field", j, jsonWith(s -> replaceField(s, "s2", "null")), "", 422, "s2"),
                Arguments.of("unknown field", j, jsonWith(s -> s.replace("\"externalId\"", "\"colour\":\"red\",\"externalId\"")), "", 400, null),
                Arguments.of("missing externalId", j, jsonWith(s -> s.replace("\"externalId\":\"bad\",", "")), "", 422, "externalId"),
                Arguments.of("blank externalId", j, jsonWith(s -> s.replace("\"externalId\":\"bad\"", "\"externalId\":\"  \"")), "", 422, "externalId"),
                Arguments.of("19 steps", j, jsonWith(s -> s.replaceFirst(",\\{\"t\":19,[^}]*}", "")), "", 422, "steps"),
                Arguments.of("21 steps (CSV)", csv, csvWith(c -> c + "bad,20,1000,20,20,20,0,0,1\n"), "", 422, "steps"),
                Arguments.of("t repeated", j, jsonWith(s -> s.replace("{\"t\":7,", "{\"t\":6,")), "", 422, "t"),
                Arguments.of("t out of range", j, jsonWith(s -> s.replace("{\"t\":7,", "{\"t\":25,")), "", 422, "t"),
                Arguments.of("t not a number (CSV)", csv, csvWith(c -> csvLine7(c, 1, "seven")), "", 422, "t"),
                Arguments.of("temperature not a number (CSV)", csv, csvWith(c -> csvLine7(c, 2, "hot")), "", 422, "temperature_k"),
                Arguments.of("empty cell (CSV)", csv, csvWith(c -> csvLine7(c, 6, "")), "", 422, "phase2H"),
                Arguments.of("unknown CSV column", csv, ProfileFixtures.csvHeader().replace("h2s", "h2s,colour") + "x,0,1,1,1,1,red,0,0,1\n", "", 400, null),
                Arguments.of("missing CSV column", csv, ProfileFixtures.csvHeader().replace(",h2s", ""), "", 400, null),
                Arguments.of("CSV row with too many cells", csv, csvWith(c -> csvLine7(c, 8, "1,5")), "", 400, null),
                Arguments.of("CSV unclosed quote", csv, csvWith(c -> csvLine7(c, 0, "\"bad")), "", 400, null),
                Arguments.of("CSV rows not contiguous", csv, ProfileFixtures.csvHeader() + ProfileFixtures.csvRows("a", ProfileFixtures.steps(1, 20)).replaceFirst("\n", "\nb,0,1000,20,20,20,0,0,1\n"), "", 422, "any:profile_id"),
                Arguments.of("truncated JSON", j, jsonWith(s -> s).substring(0, 500), "", 400, null),
                Arguments.of("JSON string for a number", j, jsonWith(s -> replaceField(s, "s2", "\"many\"")), "", 400, null),
                Arguments.of("same id twice, different content", j, "[" + valid("twin") + "," + ProfileFixtures.json("twin", ProfileFixtures.steps(7, 20)) + "]", "", 422, "externalId"),
                Arguments.of("broken NDJSON line", nd, valid("ok") + "\n{\"externalId\":\n", "", 400, null),
                Arguments.of("empty steps", j, "[{\"externalId\":\"e\",\"steps\":[]}]", "", 422, "steps"),
                Arguments.of("counts not summing to 288", csv, ProfileFixtures.csv(List.of("c"), 1), "?phaseUnit=COUNT", 422, "phases"),
                Arguments.of("unknown phase unit", csv, ProfileFixtures.csv(List.of("c"), 1), "?phaseUnit=PERCENT", 400, "phaseUnit"),
                Arguments.of("unsupported media type", "text/plain", "hello", "", 415, null),
                Arguments.of("over the size limit", csv, ProfileFixtures.csv(ProfileFixtures.ids("big", 1500), 1), "", 413, null),
                Arguments.of("a valid profile but no body", j, "", "", 400, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsAProblemDetailAndStoresNothing(String name, String contentType, String body, String query,
            int expectedStatus, String expectedField) {
        TestHttp.Response response = http.send("POST", profiles() + query, contentType, body);
        assertThat(response.status()).as(name + ": " + response.body()).isEqualTo(expectedStatus);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("detail").asString()).isNotBlank();
        if (expectedField != null && expectedField.startsWith("any:")) {
            List<String> fields = new ArrayList<>();
            problem.get("rejected").forEach(r -> fields.add(r.path("field").asString()));
            assertThat(fields).as(name).contains(expectedField.substring(4));
        } else if (expectedField != null) {
            assertThat(problem.get("field").asString()).as(name).isEqualTo(expectedField);
        }
        if (expectedStatus == 422) {
            assertThat(problem.get("profile").asString()).as(name).isIn("bad", "twin", "#1", "c", "e", "a");
        }
        assertThat(stored()).as(name + " stored nothing").isZero();
    }
}
