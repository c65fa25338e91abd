package org.cvdplanner.agent;

import org.cvdplanner.simulation.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.simulation.CvdSimulator;
import org.cvdplanner.simulation.SimulatedRun;
import org.cvdplanner.synthesis.Schedule;

/**
 * The reference work's Fig. 3c as data: the distribution of the 2H fraction over the last
 * {@code lastSteps} steps of many agent proposals started from a low versus a high initial S2
 * (other initial conditions uniform within the agent's bounds). Half of the proposals start
 * with S2 uniform in [min S2, lowS2Max], half in [highS2Min, max S2]. The 2H values are those of
 * the proposals' own NADE rollouts (sampled phases in SAMPLED mode, the predicted mean in
 * DETERMINISTIC mode), or of one simulator run per schedule.
 */
public final class InitialS2Analysis {

    /** Where the 2H values come from. */
    public enum Source {
        NADE, SIMULATOR
    }

    /**
     * @param count schedules in all (half low, half high)
     * @param lowS2Max upper end of the low initial-S2 range
     * @param highS2Min lower end of the high initial-S2 range
     * @param lastSteps how many final steps of every schedule contribute 2H values
     * @param bins histogram bins over [0, 1]
     */
    public record Settings(int count, double lowS2Max, double highS2Min, int lastSteps, int bins, ProposalMode mode,
            Source source, long seed) {
    }

    /** One group's distribution: density per bin (integrates to 1 over [0, 1]). */
    public record Group(String name, double initialS2From, double initialS2To, int schedules, int values,
            double meanInitialS2, double mean2H, double median2H, double meanFinal2H, double[] density) {
    }

    /** Both groups with the shared bin edges. */
    public record Result(Settings settings, double[] binEdges, Group low, Group high, double mean2HDifference) {
    }

    private InitialS2Analysis() {
    }

    public static Result run(Agent agent, NadeModel nade, Settings s, int threads) {
        AgentHyperParameters hp = agent.hyperParameters();
        double s2Min = hp.bounds().min(1);
        double s2Max = hp.bounds().max(1);
        if (s.count() < 2 || s.count() % 2 != 0) {
            throw new InvalidAgentParameterException("count", "must be an even number >= 2");
        }
        if (!(s.lowS2Max() > s2Min && s.lowS2Max() <= s.highS2Min() && s.highS2Min() < s2Max)) {
            throw new InvalidAgentParameterException("lowS2Max",
                    "need " + s2Min + " < lowS2Max <= highS2Min < " + s2Max + " (the agent's S2 bounds)");
        }
        if (s.lastSteps() < 1 || s.lastSteps() > hp.steps() - 1) {
            throw new InvalidAgentParameterException("lastSteps", "must be between 1 and " + (hp.steps() - 1));
        }
        if (s.bins() < 2 || s.bins() > 1000) {
            throw new InvalidAgentParameterException("bins", "must be between 2 and 1000");
        }
        int half = s.count() / 2;
        double[] x0 = new double[s.count() * 4];
        SplittableRandom rng = new SplittableRandom(s.seed());
        for (int r = 0; r < s.count(); r++) {
            boolean low = r < half;
            for (int c = 0; c < 4; c++) {
                double lo = hp.bounds().min(c);
                double hi = hp.bounds().max(c);
                if (c == 1) {
                    lo = low ? s2Min : s.highS2Min();
                    hi = low ? s.lowS2Max() : s2Max;
                }
                x0[r * 4 + c] = lo + rng.nextDouble() * (hi - lo);
            }
        }
        EpisodeBatch batch = agent.episodes(nade, s.count(), x0, s.mode(), Seeds.derive(s.seed(), 1), threads);
        int n = hp.steps();
        double[][] twoH = new double[s.count()][n];
        if (s.source() == Source.SIMULATOR) {
            List<Schedule> schedules = ScheduleForecasts.schedules(batch.schedules, s.count(), n);
            long[] seeds = new long[s.count()];
            for (int r = 0; r < s.count(); r++) {
                seeds[r] = Seeds.derive(s.seed(), 100 + r);
            }
            List<SimulatedRun> runs = CvdSimulator.DEFAULT.simulateAll(schedules, seeds, threads);
            for (int r = 0; r < s.count(); r++) {
                for (int t = 0; t < n; t++) {
                    twoH[r][t] = runs.get(r).phases(t).phase2H();
                }
            }
        } else {
            for (int r = 0; r < s.count(); r++) {
                for (int t = 0; t < n; t++) {
                    twoH[r][t] = batch.phases[(r * n + t) * 3];
                }
            }
        }
        double[] edges = new double[s.bins() + 1];
        for (int b = 0; b <= s.bins(); b++) {
            edges[b] = (double) b / s.bins();
        }
        Group low = group("low", s2Min, s.lowS2Max(), 0, half, x0, twoH, n, s);
        Group high = group("high", s.highS2Min(), s2Max, half, s.count(), x0, twoH, n, s);
        return new Result(s, edges, low, high, low.mean2H() - high.mean2H());
    }

    private static Group group(String name, double from, double to, int r0, int r1, double[] x0, double[][] twoH,
            int n, Settings s) {
        List<Double> values = new ArrayList<>();
        double s2 = 0;
        double finals = 0;
        double[] counts = new double[s.bins()];
        for (int r = r0; r < r1; r++) {
            s2 += x0[r * 4 + 1];
            finals += twoH[r][n - 1];
            for (int t = n - s.lastSteps(); t < n; t++) {
                double v = twoH[r][t];
                values.add(v);
                int b = Math.min(s.bins() - 1, Math.max(0, (int) Math.floor(v * s.bins())));
                counts[b]++;
            }
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        double width = 1.0 / s.bins();
        for (int b = 0; b < counts.length; b++) {
            counts[b] = counts[b] / (values.size() * width);
        }
        int m = r1 - r0;
        return new Group(name, from, to, m, values.size(), s2 / m, sum / values.size(), median, finals / m, counts);
    }
}
