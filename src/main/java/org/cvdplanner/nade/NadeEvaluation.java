package org.cvdplanner.nade;

import java.util.LinkedHashMap;
import java.util.Map;

import org.cvdplanner.synthesis.PhaseVector;

/**
 * Test metrics of a NADE-CVD model (fractions of the 288 Mo atoms unless named otherwise;
 * phases ordered 2H, 1T, defect; steps 0..n-1 with step 0 the given Z_0).
 *
 * @param profiles test profiles
 * @param steps steps per profile
 * @param rollouts Monte-Carlo rollouts per profile behind the autoregressive metrics
 * @param seed the seed of those rollouts
 * @param nllPerProfile mean teacher-forced NLL per profile (nats; sum over steps 1..n-1 and phases)
 * @param nllStandardError its standard error over profiles
 * @param oneStepCoverage90 share of true Z_{t+1} inside the predicted one-step Gaussian's 90 %
 *     interval (mean +- 1.645 sd), teacher-forced, per phase
 * @param bandCoverage90 share of true Z_t inside the autoregressive Monte-Carlo p5..p95 band,
 *     steps 1..n-1, per phase (rollouts drawn with the model's calibration)
 * @param rmsePerStep RMSE of the autoregressive point forecast (the mean-fed rollout), [step][phase]
 * @param maePerStep MAE of the same, [step][phase]
 * @param rmsePerPhase RMSE over steps 1..n-1, per phase
 * @param maePerPhase MAE over steps 1..n-1, per phase
 * @param lastStep point forecast (mean-fed) versus true at the last step
 * @param sampleMeanLastStepRmse RMSE at the last step of the Monte-Carlo rollouts' mean
 * @param varianceScale the calibration's variance factors the rollouts used (1 when uncalibrated)
 */
public record NadeEvaluation(int profiles, int steps, int rollouts, long seed, double nllPerProfile,
        double nllStandardError, double[] oneStepCoverage90, double[] bandCoverage90, double[][] rmsePerStep,
        double[][] maePerStep, double[] rmsePerPhase, double[] maePerPhase, LastStep lastStep,
        double[] sampleMeanLastStepRmse, double[] varianceScale) {

    /** RMSE at the last step of the mean-fed rollout: the point forecast's, {@code lastStep().rmse()}. */
    public double[] meanFedLastStepRmse() {
        return lastStep.rmse();
    }

    /**
     * Predicted versus true phase fractions at the last step, per test profile ([profile][phase]),
     * and summaries of the error (predicted - true) per phase.
     */
    public record LastStep(double[][] truth, double[][] predicted, double[] errorMean, double[] errorStd,
            double[] maxAbsError, double[] rmse, double[] mae) {
    }

    public static double atoms(double fraction) {
        return fraction * PhaseVector.MO_ATOMS;
    }

    static double[] atoms(double[] fractions) {
        double[] a = new double[fractions.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = atoms(fractions[i]);
        }
        return a;
    }

    static double[][] atoms(double[][] fractions) {
        double[][] a = new double[fractions.length][];
        for (int i = 0; i < a.length; i++) {
            a[i] = atoms(fractions[i]);
        }
        return a;
    }

    /** Share of all phases together inside the one-step 90 % interval. */
    public double oneStepCoverage90Overall() {
        return (oneStepCoverage90[0] + oneStepCoverage90[1] + oneStepCoverage90[2]) / 3;
    }

    public double bandCoverage90Overall() {
        return (bandCoverage90[0] + bandCoverage90[1] + bandCoverage90[2]) / 3;
    }

    /**
     * A JSON-friendly view with every error both in fractions and in atoms of 288, as stored in
     * the model registry. {@code withPairs} adds the per-profile predicted-vs-true arrays.
     */
    public Map<String, Object> toMetrics(boolean withPairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phases", new String[] {"2H", "1T", "defect"});
        m.put("profiles", profiles);
        m.put("steps", steps);
        m.put("rollouts", rollouts);
        m.put("seed", seed);
        m.put("nllPerProfile", nllPerProfile);
        m.put("nllStandardError", nllStandardError);
        m.put("oneStepCoverage90", oneStepCoverage90);
        m.put("bandCoverage90", bandCoverage90);
        m.put("varianceScale", varianceScale);
        m.put("rmsePerPhase", rmsePerPhase);
        m.put("rmsePerPhaseAtoms", atoms(rmsePerPhase));
        m.put("maePerPhase", maePerPhase);
        m.put("maePerPhaseAtoms", atoms(maePerPhase));
        m.put("rmsePerStep", rmsePerStep);
        m.put("rmsePerStepAtoms", atoms(rmsePerStep));
        m.put("maePerStep", maePerStep);
        m.put("maePerStepAtoms", atoms(maePerStep));
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("errorMean", lastStep.errorMean());
        last.put("errorMeanAtoms", atoms(lastStep.errorMean()));
        last.put("errorStd", lastStep.errorStd());
        last.put("errorStdAtoms", atoms(lastStep.errorStd()));
        last.put("maxAbsError", lastStep.maxAbsError());
        last.put("maxAbsErrorAtoms", atoms(lastStep.maxAbsError()));
        last.put("rmse", lastStep.rmse());
        last.put("rmseAtoms", atoms(lastStep.rmse()));
        last.put("mae", lastStep.mae());
        last.put("maeAtoms", atoms(lastStep.mae()));
        last.put("meanFedRmse", lastStep.rmse());
        last.put("meanFedRmseAtoms", atoms(lastStep.rmse()));
        last.put("sampleMeanRmse", sampleMeanLastStepRmse);
        last.put("sampleMeanRmseAtoms", atoms(sampleMeanLastStepRmse));
        if (withPairs) {
            last.put("truth", lastStep.truth());
            last.put("predicted", lastStep.predicted());
        }
        m.put("lastStep", last);
        return m;
    }
}
