package org.cvdplanner.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cvdplanner.nade.EpochReport;
import org.cvdplanner.nade.NadeHyperParameters;
import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.nade.NadeTrainer;
import org.cvdplanner.nade.NadeTrainingListener;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.Schedule;

/**
 * The comparison figures of docs/agent.md: agents trained against one NADE-CVD model with several
 * seeds, each compared ({@link Baselines}) with CEM and random walks at equal NADE-episode budgets,
 * on the model's forecast and (simulator=true) validated on the built-in simulator. Arguments are
 * key=value:
 *
 * <pre>
 * OMP_NUM_THREADS=1 ./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.cvdplanner.agent.AgentEvaluation \
 *     -Dexec.args="model=target/rmd.nade seeds=1,2,3,4,5 episodes=15000 batch=32 objective=MAX_FINAL_2H simulator=false"
 * </pre>
 * model is read with its SHA-256 in model.sha256; when it does not exist a model of the built-in
 * simulator is trained (simProfiles random walks, campaign seed 7, last tenth for validation, NADE
 * defaults with at most simEpochs epochs and patience 5) and written there.
 */
public final class AgentEvaluation {

    private AgentEvaluation() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            a.put(kv[0], kv[1]);
        }
        Path path = Path.of(a.get("model"));
        long[] seeds = java.util.Arrays.stream(a.getOrDefault("seeds", "1,2,3,4,5").split(","))
                .mapToLong(Long::parseLong).toArray();
        AgentHyperParameters base = AgentHyperParameters.defaults()
                .withEpisodes(Integer.parseInt(a.getOrDefault("episodes", "15000")))
                .withBatchSize(Integer.parseInt(a.getOrDefault("batch", "32")))
                .withObjective(Objective.valueOf(a.getOrDefault("objective", "MAX_2H_EARLY")), null);
        if (a.containsKey("sigma")) {
            base = base.withSigma(Double.parseDouble(a.get("sigma")));
        }
        if (a.containsKey("maxChange")) {
            double[] v = java.util.Arrays.stream(a.get("maxChange").split(",")).mapToDouble(Double::parseDouble).toArray();
            base = base.withConstraints(base.bounds(), new org.cvdplanner.synthesis.ConditionVector(v[0], v[1], v[2], v[3]));
        }
        if (a.containsKey("lr")) {
            base = base.withLearningRate(Double.parseDouble(a.get("lr")));
        }
        boolean simulator = Boolean.parseBoolean(a.getOrDefault("simulator", "false"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
        System.out.println("command: OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + " ... "
                + AgentEvaluation.class.getName() + " " + String.join(" ", args));
        System.out.println("load average before: " + load());
        NadeModel nade = nade(path, Integer.parseInt(a.getOrDefault("simProfiles", "5000")),
                Integer.parseInt(a.getOrDefault("simEpochs", "40")));
        System.out.printf(Locale.ROOT, "NADE model %s: %d training profiles, best epoch %d, validation NLL %.2f%n",
                nade.sha256().substring(0, 12), nade.provenance().trainingProfiles(), nade.provenance().bestEpoch(),
                nade.provenance().bestValidationNll());
        System.out.println("agent: " + base);
        Baselines baselines = new Baselines(1000, 256, 16, simulator ? 16 : 0, CrossEntropyOptimiser.DEFAULT, threads,
                0.5, Double.parseDouble(a.getOrDefault("jitter", "0")));
        List<BaselineReport> reports = new ArrayList<>();
        for (long seed : seeds) {
            long t0 = System.nanoTime();
            Agent agent = new AgentTrainer(base.withSeed(seed), threads).train(nade, AgentTrainingListener.NONE);
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            BaselineReport r = baselines.compare(agent, nade, 1000 + seed);
            reports.add(r);
            System.out.printf(Locale.ROOT, "seed %d (training %.1f s, comparison %.1f s, load %s)%n", seed, trainSeconds,
                    (System.nanoTime() - t0) / 1e9 - trainSeconds, load().split(" ")[0]);
            for (MethodResult m : List.of(r.agent(), r.agentRefined(), r.crossEntropy(), r.randomWalk())) {
                System.out.printf(Locale.ROOT, "  %-20s episodes %6d  NADE mean obj %.4f  best obj %.4f  robust %s  best final 2H %.4f"
                        + "  simulated best final 2H %s  simulated best obj %s%n", m.method(), m.nadeEpisodes(),
                        m.nadeMeanObjective(), m.nadeBestObjective(), fmt(m.nadeRobustObjective()), m.nadeBestFinal2H(),
                        fmt(m.simulatedBestFinal2H()), fmt(m.simulatedBestObjective()));
            }
            MethodResult best = r.best();
            System.out.printf(Locale.ROOT, "  winner %s by %.4f; best/CEM %.3f; best / random-walk mean %.1fx;"
                    + " agent-alone best / random-walk mean %.1fx%n", r.winner(), r.margin(),
                    best.nadeBestObjective() / r.crossEntropy().nadeBestObjective(),
                    best.nadeBestObjective() / r.randomWalk().nadeMeanObjective(), r.agentVsRandomWalk());
            for (String w : r.warnings()) {
                System.out.println("  warning: " + w);
            }
            System.out.println("  best schedule T: " + temperatures(best.bestSchedule()));
            System.out.println("  best schedule S2: " + gas(best.bestSchedule(), 1));
            System.out.println("  agent's own best T: " + temperatures(r.agent().bestSchedule()));
        }
        System.out.println("summary (per seed):");
        for (int i = 0; i < reports.size(); i++) {
            BaselineReport r = reports.get(i);
            System.out.printf(Locale.ROOT, "  seed %d: best %s %.4f | agent %.4f | agent+CEM %.4f | CEM %.4f | RW mean %.4f"
                    + " best %.4f | sim best %s vs CEM sim %s%n", seeds[i], r.winner(), r.best().nadeBestObjective(),
                    r.agent().nadeBestObjective(), r.agentRefined().nadeBestObjective(),
                    r.crossEntropy().nadeBestObjective(), r.randomWalk().nadeMeanObjective(),
                    r.randomWalk().nadeBestObjective(), fmt(r.best().simulatedBestFinal2H()),
                    fmt(r.crossEntropy().simulatedBestFinal2H()));
        }
        System.out.println("load average after: " + load());
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String temperatures(Schedule s) {
        return gas(s, 0);
    }

    private static String gas(Schedule s, int c) {
        StringBuilder b = new StringBuilder();
        for (int t = 0; t < s.length(); t++) {
            b.append(Math.round(s.at(t).get(c))).append(' ');
        }
        return b.toString().trim();
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    static NadeModel nade(Path path, int profiles, int maxEpochs) throws Exception {
        if (Files.exists(path)) {
            return NadeModel.fromBytes(Files.readAllBytes(path), Files.readString(Path.of(path + ".sha256")).trim());
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
        Files.writeString(Path.of(path + ".sha256"), model.sha256());
        return model;
    }
}
