package org.cvdplanner.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.cvdplanner.TestDatabaseConfiguration;
import org.cvdplanner.demo.ApiClient;
import org.cvdplanner.demo.DemoPipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real headless Chromium (the system's {@code chromium} and
 * {@code chromedriver}, driven by Selenium) against the running service with real data: a small
 * simulated dataset, a NADE model and an agent trained through the API as the demo does. Every
 * chart is read back through ECharts' own API ({@code echarts.getInstanceByDom(..).getOption()})
 * and compared with what the API returns. Screenshots of every view go to
 * {@code target/dashboard-screenshots/}; with {@code -Ddashboard.screenshots.copy-to=docs/screenshots}
 * they are also copied there (the README's pictures).
 *
 * <p>Skipped with a message only when no Chromium or chromedriver is installed, and never on CI
 * ({@code CI=true}), where {@code .ci/run} installs them: there a missing browser fails the build.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cvd-planner.jobs.queue=dashboard-tests",
        "cvd-planner.jobs.instance-name=dashboard-tests",
        "cvd-planner.jobs.polling-interval=200ms",
        "cvd-planner.jobs.heartbeat-interval=1s",
        "cvd-planner.jobs.progress-write-interval=100ms",
        "cvd-planner.jobs.event-poll-interval=200ms",
        "cvd-planner.agent.checkpoint-interval=0s",
        "cvd-planner.agent.baseline-random-walks=40",
        "cvd-planner.agent.baseline-agent-proposals=8",
        "cvd-planner.agent.baseline-rollouts=4",
        "cvd-planner.agent.baseline-simulator-replicas=2"})
@Import({TestDatabaseConfiguration.class, DashboardBrowserTests.AuthorizationRecorder.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTests {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    static final String CHART_SERIES = """
            const dom = document.getElementById(arguments[0]);
            const chart = dom && !dom.hidden ? echarts.getInstanceByDom(dom) : null;
            if (!chart) return null;
            return chart.getOption().series.map(s => ({name: String(s.name), points: s.data.length,
                first: s.data.length ? JSON.stringify(s.data[0]) : null}));
            """;

    @LocalServerPort
    int port;

    ApiClient api;
    DemoPipeline.Summary data;
    WebDriver browser;
    String base;

    @BeforeAll
    void startBrowserAndTrain() {
        Browser found = Browser.find();
        if (found == null) {
            String message = "no Chromium and chromedriver found (install Debian's chromium and chromium-driver,"
                    + " or set CHROME_BIN and CHROMEDRIVER): dashboard browser tests skipped";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + " — but CI must run them");
            }
            Assumptions.abort(message);
        }
        base = "http://localhost:" + port;
        api = new ApiClient(base);
        long t0 = System.nanoTime();
        data = new DemoPipeline(api).run(new DemoPipeline.Settings(600, 8, 32, 1024, 64, 3, 8, 2021));
        System.out.printf("dashboard tests: data trained in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(found.chromium().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--window-size=1440,900", "--force-prefers-reduced-motion");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(found.driver().toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void jobsViewFollowsATrainingJobLiveToCompletion() {
        open("#/jobs");
        waitFor("the jobs table", () -> rows("jobs-table") >= 3);
        // a job submitted while the page is open, followed through its event stream; long enough
        // (several seconds on a quiet machine) that the page sees it before it ends
        JsonNode submitted = api.post("/api/v1/jobs/agent-training", Map.of("nadeModelId", data.nadeModelId(),
                "episodes", 32_768, "batchSize", 64, "seed", 11));
        String jobId = submitted.get("id").asString();
        open("#/jobs/" + jobId);
        Set<String> seen = new LinkedHashSet<>();
        waitFor("the job to finish in the page", () -> {
            String status = attribute("job-detail", "data-status");
            if (status != null) {
                seen.add(status);
            }
            return "SUCCEEDED".equals(status);
        });
        assertThat(seen).as("statuses the page showed").contains("SUCCEEDED").containsAnyOf("QUEUED", "RUNNING");
        assertThat(Integer.parseInt(attribute("job-detail", "data-events"))).as("live events received").isPositive();
        JsonNode job = api.get("/api/v1/jobs/" + jobId);
        int points = job.get("metrics").get("meanObjective").size();
        List<Map<String, Object>> series = waitForSeries("job-curve", 2);
        assertThat(names(series)).containsExactly("meanFinal2H", "meanObjective");
        assertThat(series).allSatisfy(s -> assertThat(((Number) s.get("points")).intValue()).isEqualTo(points));
        waitFor("the list to show the job's final status", () -> browser.findElement(
                By.cssSelector("#jobs-table tr[data-id='" + jobId + "']")).getText().contains("SUCCEEDED"));
        screenshot("jobs");
    }

    @Test
    @Order(2)
    void aRunningJobIsCancelledFromTheList() {
        open("#/jobs");
        JsonNode submitted = api.post("/api/v1/jobs/agent-training", Map.of("nadeModelId", data.nadeModelId(),
                "episodes", 200_000, "batchSize", 64, "seed", 12));
        String jobId = submitted.get("id").asString();
        String row = "#jobs-table tr[data-id='" + jobId + "']";
        By cancel = By.cssSelector(row + " button");
        waitForElement(cancel);
        // the list follows the running job's progress over its event stream (read through the DOM
        // in one script: the list is redrawn every 3 s)
        waitFor("live progress events in the list", () -> Integer.parseInt(String.valueOf(js(
                "const r = document.querySelector(arguments[0]); return r && r.dataset.events || '0'", row))) > 0);
        waitFor("the cancel click", () -> Boolean.TRUE.equals(js(
                "const b = document.querySelector(arguments[0]);"
                        + " if (!b || b.textContent !== 'cancel') return false; b.click(); return true", row + " button")));
        waitFor("the job to be cancelled", () -> "CANCELLED".equals(api.get("/api/v1/jobs/" + jobId).get("status").asString()));
        waitFor("the list to show CANCELLED", () -> String.valueOf(js(
                "const r = document.querySelector(arguments[0]); return r ? r.textContent : ''", row)).contains("CANCELLED"));
        waitFor("no cancel button for the cancelled job", () -> browser.findElements(cancel).isEmpty());
    }

    @Test
    @Order(3)
    void datasetsViewPlotsProfilesAndShowsUploadProblems() throws IOException {
        long id = data.datasetId();
        open("#/datasets/" + id);
        List<Map<String, Object>> temperature = waitForSeries("dataset-temperature", 6);
        JsonNode profiles = api.get("/api/v1/datasets/" + id + "/profiles?limit=6").get("items");
        assertThat(names(temperature)).containsExactlyElementsOf(externalIds(profiles));
        assertThat(temperature).allSatisfy(s -> assertThat(((Number) s.get("points")).intValue()).isEqualTo(20));
        JsonNode first = profiles.get(0).get("steps").get(0);
        assertThat(temperature.get(0).get("first")).isEqualTo("[0," + number(first.get("temperatureK")) + "]");
        assertThat(names(waitForSeries("dataset-2h", 6))).containsExactlyElementsOf(externalIds(profiles));
        List<Map<String, Object>> conditions = waitForSeries("dataset-conditions", 4);
        assertThat(names(conditions)).containsExactly("T", "S2", "H2", "H2S");
        List<Map<String, Object>> phases = waitForSeries("dataset-phases", 3);
        assertThat(names(phases)).containsExactly("2H", "1T", "defect");
        assertThat(phases).allSatisfy(s -> assertThat(((Number) s.get("points")).intValue()).isEqualTo(20));
        assertThat(browser.findElement(By.cssSelector("#datasets-table tr[data-id='" + id + "']")).getText())
                .contains("600");
        screenshot("datasets");

        // an upload whose phases do not sum to one: the problem details, readable, name profile, step and field
        Path bad = Files.createTempFile("bad-profiles", ".csv");
        Files.writeString(bad, csv("upload-bad", 0.5), StandardCharsets.UTF_8);
        browser.findElement(By.id("upload-file")).sendKeys(bad.toAbsolutePath().toString());
        browser.findElement(By.id("upload-submit")).click();
        WebElement problem = waitForElement(By.cssSelector("#upload-result .problem"));
        assertThat(problem.getText()).contains("422").contains("upload-bad").contains("step 5");
        assertThat(problem.getText()).containsIgnoringCase("sum");
        screenshot("datasets-upload-error");

        Path good = Files.createTempFile("good-profiles", ".csv");
        Files.writeString(good, csv("upload-good", 0.0), StandardCharsets.UTF_8);
        browser.findElement(By.id("upload-file")).sendKeys(good.toAbsolutePath().toString());
        browser.findElement(By.id("upload-submit")).click();
        WebElement success = waitForElement(By.cssSelector("#upload-result .success"));
        assertThat(success.getText()).contains("Stored 1 new profiles of 1");
        assertThat(api.get("/api/v1/datasets/" + id).get("profileCount").asLong()).isEqualTo(601);
    }

    @Test
    @Order(4)
    void modelsViewShowsTrainingErrorsPerStepLastStepAndCoverage() {
        JsonNode model = api.get("/api/v1/models/" + data.nadeModelId());
        open("#/models/" + data.nadeModelId());
        List<Map<String, Object>> training = waitForSeries("model-training", 2);
        assertThat(names(training)).containsExactly("trainNll", "validationNll");
        int epochs = model.get("model").get("epochsRun").asInt();
        assertThat(training).allSatisfy(s -> assertThat(((Number) s.get("points")).intValue()).isEqualTo(epochs));
        List<Map<String, Object>> error = waitForSeries("model-error", 3);
        assertThat(names(error)).containsExactly("2H", "1T", "defect");
        int steps = model.get("metrics").get("rmsePerStepAtoms").size();
        assertThat(error).allSatisfy(s -> assertThat(((Number) s.get("points")).intValue()).isEqualTo(steps));
        assertThat(error.get(0).get("first")).isEqualTo(
                "[0," + number(model.get("metrics").get("rmsePerStepAtoms").get(0).get(0)) + "]");
        List<Map<String, Object>> lastStep = waitForSeries("model-last-step", 4);
        int pairs = model.get("metrics").get("lastStep").get("truth").size();
        assertThat(pairs).isPositive();
        assertThat(lastStep.subList(0, 3)).allSatisfy(s -> assertThat(((Number) s.get("points")).intValue()).isEqualTo(pairs));
        List<Map<String, Object>> coverage = waitForSeries("model-coverage", 2);
        assertThat(names(coverage)).containsExactly("one step ahead", "whole trajectory band");
        assertThat(coverage).allSatisfy(s -> assertThat(((Number) s.get("points")).intValue()).isEqualTo(3));
        screenshot("models");
    }

    @Test
    @Order(5)
    void agentsViewShowsRewardComparisonInitialS2AndEachProposal() {
        JsonNode agent = api.get("/api/v1/agents/" + data.agentId());
        String proposalId = data.proposalIds().get(0);
        JsonNode proposal = api.get("/api/v1/proposals/" + proposalId);
        open("#/agents/" + data.agentId() + "/" + proposalId);

        List<Map<String, Object>> reward = waitForSeries("agent-reward", 2);
        assertThat(names(reward)).containsExactly("mean objective", "mean final 2H");
        assertThat(reward).allSatisfy(s -> assertThat(((Number) s.get("points")).intValue())
                .isEqualTo(agent.get("rewardCurve").size()));
        List<Map<String, Object>> comparison = waitForSeries("agent-comparison", 3);
        assertThat(names(comparison)).containsExactly("NADE mean", "NADE best", "simulator best");
        assertThat(comparison).allSatisfy(s -> assertThat(((Number) s.get("points")).intValue()).isEqualTo(4));
        assertThat(comparison.get(1).get("first")).isEqualTo(number(agent.get("baselines").get("agent").get("nadeBestObjective")));
        waitFor("the proposals table", () -> rows("proposals-table") == data.proposalIds().size());

        int steps = proposal.get("schedule").size();
        List<Map<String, Object>> schedule = waitForSeries("proposal-schedule", 4);
        assertThat(names(schedule)).containsExactly("T", "S2", "H2", "H2S");
        // every step plus the end of the last one
        assertThat(schedule).allSatisfy(s -> assertThat(((Number) s.get("points")).intValue()).isEqualTo(steps + 1));
        assertThat(schedule.get(0).get("first")).isEqualTo(
                "[0," + number(proposal.get("schedule").get(0).get("temperatureK")) + "]");
        List<Map<String, Object>> trajectory = waitForSeries("proposal-trajectory", 9);
        assertThat(names(trajectory)).containsExactly("2H p5", "2H p5–p95", "2H", "1T p5", "1T p5–p95", "1T",
                "defect p5", "defect p5–p95", "defect");
        int predicted = proposal.get("predicted").size();
        assertThat(trajectory).allSatisfy(s -> assertThat(((Number) s.get("points")).intValue()).isEqualTo(predicted));
        List<Map<String, Object>> validation = waitForSeries("proposal-validation", 12);
        assertThat(names(validation)).contains("predicted 2H", "simulated 2H", "simulated 2H p5–p95");
        assertThat(browser.findElement(By.id("phase-order")).getText()).startsWith("Phase order (forecast): 1T peaks at step");

        browser.findElement(By.id("initial-s2-run")).click();
        List<Map<String, Object>> initialS2 = waitForSeries("agent-initial-s2", 2);
        assertThat(initialS2.get(0).get("name").toString()).startsWith("low S2");
        assertThat(initialS2.get(1).get("name").toString()).startsWith("high S2");
        assertThat(((Number) initialS2.get(0).get("points")).intValue()).isGreaterThanOrEqualTo(2);
        screenshot("agents");

        // the recipe downloads through fetch (so that it carries an API key): the page gets the real CSV
        Object recipe = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                request('/api/v1/proposals/' + arguments[0] + '/recipe.csv', {headers: {Accept: '*/*'}})
                  .then(r => r.text()).then(done, e => done('failed: ' + e));
                """, proposalId);
        assertThat(recipe.toString().lines().findFirst()).hasValue("step,time_ns,temperature_k,s2,h2,h2s");
    }

    @Test
    @Order(6)
    void compareViewPutsProposalsSideBySide() {
        List<String> ids = data.proposalIds();
        open("#/compare/" + String.join(",", ids));
        List<Map<String, Object>> temperature = waitForSeries("compare-temperature", ids.size());
        assertThat(names(temperature)).containsExactlyElementsOf(ids.stream().map(id -> id.substring(0, 8)).toList());
        assertThat(names(waitForSeries("compare-2h", ids.size())))
                .containsExactlyElementsOf(ids.stream().map(id -> id.substring(0, 8)).toList());
        for (int i = 0; i < ids.size(); i++) {
            assertThat(waitForSeries("compare-schedule-" + i, 4)).hasSize(4);
            assertThat(waitForSeries("compare-trajectory-" + i, 9)).hasSize(9);
        }
        assertThat(browser.findElements(By.cssSelector("#compare-table thead th"))).hasSize(ids.size() + 1);
        screenshot("compare");
    }

    @Test
    @Order(7)
    void darkThemeAndKeyboardNavigation() {
        open("#/agents/" + data.agentId() + "/" + data.proposalIds().get(0));
        waitForSeries("proposal-trajectory", 9);
        browser.findElement(By.id("theme")).click();
        waitFor("the dark theme", () -> "dark".equals(((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.dataset.theme")));
        // charts are redrawn with the dark theme, series intact
        waitFor("charts redrawn dark", () -> "dark".equals(((JavascriptExecutor) browser).executeScript(
                "return echarts.getInstanceByDom(document.getElementById('proposal-trajectory')).__theme")));
        assertThat(waitForSeries("proposal-trajectory", 9)).hasSize(9);
        screenshot("agents-dark");
        // the views are links: reachable and followed from the keyboard
        WebElement models = browser.findElement(By.cssSelector("nav a[data-view='models']"));
        models.sendKeys(org.openqa.selenium.Keys.ENTER);
        waitFor("the models view by keyboard", () -> browser.findElement(By.id("view-models")).isDisplayed());
        assertThat(models.getAttribute("aria-current")).isEqualTo("page");
        browser.findElement(By.id("theme")).click();
    }

    @Test
    @Order(8)
    void anEnteredApiKeyIsSentAsABearerTokenAndForgotten() {
        open("#/jobs");
        browser.findElement(By.id("api-key")).sendKeys("dashboard-test-key");
        browser.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        waitFor("a request with the key", () -> AuthorizationRecorder.SEEN.contains("Bearer dashboard-test-key"));
        assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('cvd-planner.apiKey')"))
                .isEqualTo("dashboard-test-key");
        browser.findElement(By.id("key-clear")).click();
        assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('cvd-planner.apiKey')"))
                .isNull();
        AuthorizationRecorder.ANONYMOUS.set(0);
        AuthorizationRecorder.WITH_KEY.set(0);
        open("#/models");
        waitFor("requests without a key", () -> AuthorizationRecorder.ANONYMOUS.get() > 0);
        assertThat(AuthorizationRecorder.WITH_KEY.get()).as("requests with a key after it was forgotten").isZero();
    }

    // ------------------------------------------------------------------ helpers

    void open(String hash) {
        String url = base + "/dashboard.html" + hash;
        if (browser.getCurrentUrl() != null && browser.getCurrentUrl().startsWith(base + "/dashboard.html")) {
            ((JavascriptExecutor) browser).executeScript("location.hash = arguments[0]", hash);
        } else {
            browser.get(url);
        }
        waitFor("echarts", () -> Boolean.TRUE.equals(((JavascriptExecutor) browser)
                .executeScript("return typeof echarts === 'object'")));
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> series(String chartId) {
        Object result = ((JavascriptExecutor) browser).executeScript(CHART_SERIES, chartId);
        return result == null ? List.of() : (List<Map<String, Object>>) result;
    }

    /** Waits until the chart shows exactly this many series, each with at least one point. */
    List<Map<String, Object>> waitForSeries(String chartId, int count) {
        List<List<Map<String, Object>>> last = new ArrayList<>(Collections.singletonList(List.of()));
        try {
            waitFor("chart " + chartId + " with " + count + " series", () -> {
                List<Map<String, Object>> s = series(chartId);
                last.set(0, s);
                return s.size() == count && s.stream().allMatch(x -> ((Number) x.get("points")).intValue() > 0);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + last.get(0), e);
        }
        return last.get(0);
    }

    static List<String> names(List<Map<String, Object>> series) {
        return series.stream().map(s -> s.get("name").toString()).toList();
    }

    static List<String> externalIds(JsonNode profiles) {
        List<String> ids = new ArrayList<>();
        profiles.forEach(p -> ids.add(p.get("externalId").asString()));
        return ids;
    }

    /** A number as JavaScript's JSON.stringify writes it. */
    static String number(JsonNode value) {
        double d = value.asDouble();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    int rows(String tableId) {
        return browser.findElements(By.cssSelector("#" + tableId + " tbody tr[data-id]")).size();
    }

    String attribute(String id, String name) {
        return browser.findElement(By.id(id)).getAttribute(name);
    }

    WebElement waitForElement(By by) {
        waitFor(by.toString(), () -> !browser.findElements(by).isEmpty() && browser.findElement(by).isDisplayed());
        return browser.findElement(by);
    }

    void waitFor(String what, java.util.function.BooleanSupplier condition) {
        try {
            new WebDriverWait(browser, WAIT, Duration.ofMillis(100)).until(d -> condition.getAsBoolean());
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            throw new AssertionError("timed out waiting for " + what + "; console: " + console(), e);
        }
    }

    String console() {
        try {
            return String.valueOf(((JavascriptExecutor) browser).executeScript(
                    "return document.getElementById('notice').textContent"));
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** A full-page screenshot at laptop width: the window grows to the page's height for the shot. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Dimension size = browser.manage().window().getSize();
            // the window grows until its viewport holds the whole page (the window's own frame included)
            for (int i = 0; i < 3; i++) {
                Number missing = (Number) ((JavascriptExecutor) browser).executeScript(
                        "return Math.min(4000, document.documentElement.scrollHeight) - window.innerHeight");
                if (missing.intValue() <= 0) {
                    break;
                }
                Dimension now = browser.manage().window().getSize();
                browser.manage().window().setSize(new Dimension(1440, now.getHeight() + missing.intValue()));
            }
            ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0); window.dispatchEvent(new Event('resize'));"
                    + " return new Promise(r => setTimeout(r, 150))");
            Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
            String copyTo = System.getProperty("dashboard.screenshots.copy-to");
            if (copyTo != null && !copyTo.isBlank() && !name.startsWith("failed-")) {
                Files.createDirectories(Path.of(copyTo));
                Files.copy(shot, Path.of(copyTo, name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
            browser.manage().window().setSize(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One profile of 20 steps in the upload's long CSV; {@code phaseError} breaks the phase sum at step 5. */
    static String csv(String externalId, double phaseError) {
        StringBuilder csv = new StringBuilder("profile_id,t,temperature_k,s2,h2,h2s,phase_2h,phase_1t,phase_defect\n");
        for (int t = 0; t < 20; t++) {
            double twoH = Math.min(0.9, t * 0.04);
            csv.append(externalId).append(',').append(t).append(",3000,30,100,100,").append(twoH).append(",0.05,")
                    .append(1 - twoH - 0.05 + (t == 5 ? phaseError : 0)).append('\n');
        }
        return csv.toString();
    }

    /** The system's Chromium and chromedriver: CHROME_BIN / CHROMEDRIVER, else the usual names on PATH. */
    record Browser(Path chromium, Path driver) {
        static Browser find() {
            Path chromium = executable(System.getenv("CHROME_BIN"), "chromium", "chromium-browser", "google-chrome");
            Path driver = executable(System.getenv("CHROMEDRIVER"), "chromedriver");
            return chromium == null || driver == null ? null : new Browser(chromium, driver);
        }

        static Path executable(String explicit, String... names) {
            if (explicit != null && !explicit.isBlank()) {
                Path p = Path.of(explicit);
                return Files.isExecutable(p) ? p : null;
            }
            List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
            dirs.add("/usr/lib/chromium");
            for (String name : names) {
                for (String dir : dirs) {
                    Path p = Path.of(dir, name);
                    if (!dir.isEmpty() && Files.isExecutable(p)) {
                        return p;
                    }
                }
            }
            return null;
        }
    }

    /** Records the Authorization header of every API request, to see what the page sends. */
    @TestConfiguration
    static class AuthorizationRecorder {
        static final Set<String> SEEN = Collections.synchronizedSet(new LinkedHashSet<>());
        static final AtomicInteger ANONYMOUS = new AtomicInteger();
        static final AtomicInteger WITH_KEY = new AtomicInteger();

        @Bean
        OncePerRequestFilter authorizationRecordingFilter() {
            return new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                        FilterChain chain) throws ServletException, IOException {
                    if (request.getRequestURI().startsWith("/api/")) {
                        String header = request.getHeader("Authorization");
                        if (header == null) {
                            ANONYMOUS.incrementAndGet();
                        } else {
                            SEEN.add(header);
                            WITH_KEY.incrementAndGet();
                        }
                    }
                    chain.doFilter(request, response);
                }
            };
        }
    }
}
