package org.cvdplanner.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cvdplanner.nade.EpochReport;
import org.cvdplanner.nade.NadeHyperParameters;
import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.nade.NadeTrainer;
import org.cvdplanner.nade.NadeTrainingListener;
import org.cvdplanner.simulation.CvdSimulator;
import org.cvdplanner.simulation.ReplicaSummary;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.Schedule;

/**
 * The figures of docs/agent.md: a NADE-CVD model trained on simulator profiles, agents trained
 * against it with several seeds, each compared with random walks and the cross-entropy method
 * on NADE and validated on the simulator; the learned schedule's shape and phase order; and the
 * initial-S2 analysis (paper Fig. 3c).
 *
 * <pre>
 * OMP_NUM_THREADS=1 ./mvnw -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.cvdplanner.agent.AgentEvaluation \
 *     -Dexec.args="NADE_PATH PROFILES MAX_EPOCHS SEEDS EPISODES BATCH SIGMA LEARNING_RATE"
 * e.g. -Dexec.args="/tmp/nade5k.bin 5000 40 1,2,3 15000 32 0.7 0.002 [3000,20,20,20]"
 * </pre>
 * The optional last argument is the maximum change per step (K, S2, H2, H2S).
 * NADE_PATH is read when it exists (with its SHA-256 in NADE_PATH.sha), else trained (PROFILES
 * random walks of the simulator, campaign seed 7, last tenth for validation, NADE defaults with at
 * most MAX_EPOCHS epochs and patience 5) and written there.
 */
public final class AgentEvaluation {

    private AgentEvaluation() {
    }

    public static void main(String[] args) throws Exception {
        Path nadePath = Path.of(args[0]);
        int profiles = Integer.parseInt(args[1]);
        int maxEpochs = Integer.parseInt(args[2]);
        long[] seeds = java.util.Arrays.stream(args[3].split(",")).mapToLong(Long::parseLong).toArray();
        AgentHyperParameters base = AgentHyperParameters.defaults().withEpisodes(Integer.parseInt(args[4]))
                .withBatchSize(Integer.parseInt(args[5])).withSigma(Double.parseDouble(args[6]))
                .withLearningRate(Double.parseDouble(args[7]));
        if (args.length > 8) {
            double[] limit = java.util.Arrays.stream(args[8].split(",")).mapToDouble(Double::parseDouble).toArray();
            base = base.withConstraints(base.bounds(), org.cvdplanner.synthesis.ConditionVector.of(limit));
        }
        int threads = Runtime.getRuntime().availableProcessors();
        System.out.println("command: OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + " ./mvnw -B -q test-compile"
                + " exec:java -Dexec.classpathScope=test -Dexec.mainClass=" + AgentEvaluation.class.getName()
                + " -Dexec.args=\"" + String.join(" ", args) + "\"");
        NadeModel nade = nade(nadePath, profiles, maxEpochs);
        System.out.printf(Locale.ROOT, "NADE model %s: %d training profiles, best epoch %d, validation NLL %.2f%n",
                nade.sha256().substring(0, 12), nade.provenance().trainingProfiles(), nade.provenance().bestEpoch(),
                nade.provenance().bestValidationNll());
        List<BaselineReport> reports = new ArrayList<>();
        Agent last = null;
        for (long seed : seeds) {
            AgentHyperParameters hp = base.withSeed(seed);
            long t0 = System.nanoTime();
            Agent agent = new AgentTrainer(hp, threads).train(nade, AgentTrainingListener.NONE);
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            BaselineReport r = Baselines.defaults(threads).compare(agent, nade, 1000 + seed);
            reports.add(r);
            System.out.printf(Locale.ROOT, "%nseed %d: trained %d episodes in %.1f s; last-tenth mean objective %.3f%n",
                    seed, agent.provenance().episodes(), trainSeconds, agent.provenance().finalMeanObjective());
            print(r);
            last = agent;
            shape("agent best", r.agent().bestSchedule(), nade, agent);
        }
        System.out.printf(Locale.ROOT, "%nacross %d seeds (median [min, max]):%n", seeds.length);
        summary("agent best, simulated final 2H", reports, m -> m.agent().simulatedBestFinal2H());
        summary("agent best, simulated objective", reports, m -> m.agent().simulatedBestObjective());
        summary("agent mean, simulated final 2H", reports, m -> m.agent().simulatedMeanFinal2H());
        summary("agent mean, NADE objective", reports, m -> m.agent().nadeMeanObjective());
        summary("CEM, simulated final 2H", reports, m -> m.crossEntropy().simulatedBestFinal2H());
        summary("CEM, simulated objective", reports, m -> m.crossEntropy().simulatedBestObjective());
        summary("CEM, NADE objective", reports, m -> m.crossEntropy().nadeMeanObjective());
        summary("random walk mean, simulated final 2H", reports, m -> m.randomWalk().simulatedMeanFinal2H());
        summary("agent best / random-walk mean, simulated final 2H", reports,
                m -> m.agent().simulatedBestFinal2H() / m.randomWalk().simulatedMeanFinal2H());
        shape("CEM (last seed)", reports.get(reports.size() - 1).crossEntropy().bestSchedule(), nade, last);
        for (InitialS2Analysis.Source source : InitialS2Analysis.Source.values()) {
            InitialS2Analysis.Result s2 = InitialS2Analysis.run(last, nade, new InitialS2Analysis.Settings(3200,
                    20 + 230 / 3.0, 250 - 230 / 3.0, 10, 20, ProposalMode.SAMPLED, source, 5), threads);
            System.out.printf(Locale.ROOT, "%ninitial S2 (last seed, 3200 sampled proposals, 2H over the last 10 steps,"
                    + " %s): low S2 [%.0f, %.0f]: mean %.3f, median %.3f, final %.3f; high S2 [%.0f, %.0f]: mean %.3f,"
                    + " median %.3f, final %.3f%n", source, s2.low().initialS2From(), s2.low().initialS2To(),
                    s2.low().mean2H(), s2.low().median2H(), s2.low().meanFinal2H(), s2.high().initialS2From(),
                    s2.high().initialS2To(), s2.high().mean2H(), s2.high().median2H(), s2.high().meanFinal2H());
            System.out.println("  bins of 0.05, density low : " + densities(s2.low().density()));
            System.out.println("  bins of 0.05, density high: " + densities(s2.high().density()));
        }
    }

    private static String densities(double[] d) {
        StringBuilder b = new StringBuilder();
        for (double v : d) {
            b.append(String.format(Locale.ROOT, "%.2f ", v));
        }
        return b.toString().trim();
    }

    private static void print(BaselineReport r) {
        System.out.printf(Locale.ROOT, "%-14s %9s %10s %10s | %10s %10s %10s %10s%n", "method", "schedules", "NADE obj",
                "NADE fin2H", "sim obj", "sim fin2H", "best obj", "best fin2H");
        for (MethodResult m : List.of(r.agent(), r.randomWalk(), r.crossEntropy())) {
            System.out.printf(Locale.ROOT, "%-14s %9d %10.3f %10.3f | %10.3f %10.3f %10.3f %10.3f%n", m.method(),
                    m.schedules(), m.nadeMeanObjective(), m.nadeMeanFinal2H(), m.simulatedMeanObjective(),
                    m.simulatedMeanFinal2H(), m.simulatedBestObjective(), m.simulatedBestFinal2H());
        }
    }

    private static void shape(String name, Schedule s, NadeModel nade, Agent agent) {
        StringBuilder temps = new StringBuilder();
        StringBuilder s2 = new StringBuilder();
        for (int t = 0; t < s.length(); t++) {
            temps.append(Math.round(s.at(t).temperatureK())).append(' ');
            s2.append(Math.round(s.at(t).s2())).append(' ');
        }
        System.out.println("  " + name + " T (K): " + temps.toString().trim());
        System.out.println("  " + name + " S2   : " + s2.toString().trim());
        ScheduleShape shape = ScheduleShape.of(s);
        double[][] predicted = nade.forecast(List.of(s), org.cvdplanner.synthesis.PhaseVector.INITIAL, 64, 1).get(0).mean();
        ReplicaSummary simulated = CvdSimulator.DEFAULT.summarise(s, 16, 2, 2);
        PhaseOrder p = PhaseOrder.of(predicted);
        PhaseOrder q = PhaseOrder.of(SimulatorTrajectories.mean(simulated));
        System.out.printf(Locale.ROOT, "  %s shape: peak %.0f K at step %d, %d hot steps (>= 3000 K) from %s to %s, then mean"
                + " %s K; S2 first 3 steps %.0f, later %.0f; hot-then-anneal %s%n", name, shape.peakTemperatureK(),
                shape.peakStep(), shape.hotSteps(), shape.firstHotStep(), shape.lastHotStep(),
                shape.meanTemperatureAfterHotK() == null ? "-" : String.format(Locale.ROOT, "%.0f", shape.meanTemperatureAfterHotK()),
                shape.meanS2FirstThreeSteps(), shape.meanS2Later(), shape.hotThenAnneal());
        System.out.printf(Locale.ROOT, "  %s phase order, NADE: 1T peaks at step %d (%.3f), 2H peaks at %d (%.3f), 1T first"
                + " appears %s, 2H %s, 2H > 1T from %s; simulator: 1T peaks at %d (%.3f), 2H at %d (%.3f), 1T appears %s,"
                + " 2H %s, 2H > 1T from %s%n", name, p.oneTPeakStep(), p.oneTPeak(), p.twoHPeakStep(), p.twoHPeak(),
                p.firstOneTStep(), p.firstTwoHStep(), p.twoHOvertakesOneTStep(), q.oneTPeakStep(), q.oneTPeak(),
                q.twoHPeakStep(), q.twoHPeak(), q.firstOneTStep(), q.firstTwoHStep(), q.twoHOvertakesOneTStep());
    }

    private static void summary(String name, List<BaselineReport> reports,
            java.util.function.ToDoubleFunction<BaselineReport> value) {
        double[] v = reports.stream().mapToDouble(value).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        System.out.printf(Locale.ROOT, "  %-52s %.3f [%.3f, %.3f]%n", name, median, v[0], v[v.length - 1]);
    }

    static NadeModel nade(Path path, int profiles, int maxEpochs) throws Exception {
        if (Files.exists(path)) {
            return NadeModel.fromBytes(Files.readAllBytes(path), Files.readString(Path.of(path + ".sha")).trim());
        }
        ProfileArrays all = AgentTestModels.simulatorProfiles(profiles);
        int validation = profiles / 10;
        NadeModel model = new NadeTrainer(NadeHyperParameters.defaults().withEpochs(maxEpochs).withEarlyStoppingPatience(5))
                .train(AgentTestModels.slice(all, 0, profiles - validation),
                        AgentTestModels.slice(all, profiles - validation, profiles), new NadeTrainingListener() {
                            @Override
                            public void afterEpoch(EpochReport report, java.util.function.Supplier<byte[]> checkpoint) {
                                System.out.printf(Locale.ROOT, "NADE epoch %d: validation NLL %.2f%n", report.epoch(),
                                        report.validationNll());
                            }
                        });
        Files.write(path, model.toBytes());
        Files.writeString(Path.of(path + ".sha"), model.sha256());
        return model;
    }
}
