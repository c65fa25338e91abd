package org.cvdplanner.simulation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cvdplanner.CvdPlannerApplication;
import org.cvdplanner.job.JobSubmitter;
import org.cvdplanner.profile.Datasets;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A whole campaign through the service: submits a 10,000-profile random-walk campaign as a job
 * and reports the time from submission to SUCCEEDED (simulation, storage in PostgreSQL,
 * checkpoints, progress), median of several campaigns after one warm-up. Runs the real service
 * on an embedded PostgreSQL in a temp dir.
 *
 * <pre>./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.cvdplanner.simulation.SimulationCampaignBenchmark [-Dexec.args="10000 3"]</pre>
 */
public final class SimulationCampaignBenchmark {

    private SimulationCampaignBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int profiles = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path data = Files.createTempDirectory("cvd-sim-bench");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CvdPlannerApplication.class).run(
                "--server.port=0", "--cvd-planner.embedded-database.enabled=true",
                "--cvd-planner.embedded-database.data-directory=" + data.resolve("postgres"),
                "--cvd-planner.demo.enabled=false", "--logging.level.root=WARN",
                "--cvd-planner.jobs.polling-interval=100ms", "--cvd-planner.jobs.progress-write-interval=100ms")) {
            Datasets datasets = app.getBean(Datasets.class);
            JobSubmitter jobs = app.getBean(JobSubmitter.class);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            SimulatorProperties properties = app.getBean(SimulatorProperties.class);
            System.out.printf("command: ./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test"
                    + " -Dexec.mainClass=%s -Dexec.args=\"%d %d\"%n", SimulationCampaignBenchmark.class.getName(), profiles, runs);
            System.out.printf("campaign of %d random-walk profiles, chunk %d, %d simulation threads, %d cores; %d timed after 1 warm-up;"
                    + " load average %s%n", profiles, properties.chunkSize(), properties.effectiveThreads(),
                    Runtime.getRuntime().availableProcessors(), runs, Files.readString(Path.of("/proc/loadavg")).trim());
            List<Double> seconds = new ArrayList<>();
            for (int run = 0; run <= runs; run++) {
                long dataset = datasets.create("campaign bench " + run, null, "SIMULATION", 20).id();
                long start = System.nanoTime();
                var job = jobs.submit(SimulationCampaignParameters.JOB_TYPE,
                        SimulationCampaignParameters.randomWalk(dataset, profiles), 1000L + run, null);
                String status;
                do {
                    Thread.sleep(20);
                    status = jdbc.queryForObject("select status from job where id = ?", String.class, job.id());
                } while (!status.matches("SUCCEEDED|FAILED|CANCELLED"));
                double s = (System.nanoTime() - start) / 1e9;
                if (!status.equals("SUCCEEDED") || datasets.count(dataset) != profiles) {
                    throw new IllegalStateException("campaign " + job.id() + " ended " + status + " with " + datasets.count(dataset));
                }
                if (run > 0) {
                    seconds.add(s);
                    System.out.printf("  run %d: %.3f s; job result %s%n", run, s,
                            jdbc.queryForObject("select result::text from job where id = ?", String.class, job.id()));
                }
            }
            double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = sorted[sorted.length / 2];
            System.out.printf("campaign submit -> SUCCEEDED: median %.3f s (%.0f profiles/s), runs %s s%n", median,
                    profiles / median, Arrays.toString(seconds.stream().mapToDouble(v -> Math.round(v * 1000) / 1000.0).toArray()));
            System.out.printf("load average after: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        }
    }
}
