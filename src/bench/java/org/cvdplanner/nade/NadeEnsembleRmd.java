package org.cvdplanner.nade;

import java.nio.file.Path;
import java.util.Arrays;

import org.cvdplanner.synthesis.ProfileArrays;

/**
 * The ensemble trainer (what a {@code nade-training} job runs) on the realistic sample, without
 * the service: members, checkpoint rounds, the split recorded in the provenance, the test metrics.
 *
 * <p>Arguments: [profiles (0 = all)] [epochs] [members] [file].
 */
public final class NadeEnsembleRmd {

    public static void main(String[] args) throws Exception {
        int profiles = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int members = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path file = args.length > 3 ? Path.of(args[3]) : RmdSampleData.DEFAULT_FILE;
        ProfileArrays all = RmdSampleData.read(file);
        if (profiles > 0 && profiles < all.profileCount()) {
            all = SyntheticProfilesSlice.first(all, profiles);
        }
        NadeHyperParameters hp = NadeHyperParameters.defaults().withEpochs(epochs).withBatchSize(32).withSeed(7);
        var settings = new NadeEnsembleTrainer.Settings(hp, members, 1, Math.min(2, members), 0.1, 0.1, 7, 0, 32, 500,
                64, 7);
        long[] checkpoints = {0, 0};
        long started = System.nanoTime();
        NadeEnsembleTrainer.Result r = new NadeEnsembleTrainer(settings).train(all, null, null,
                new NadeEnsembleTrainer.Listener() {
                    @Override
                    public void epoch(int member, int count, EpochReport report) {
                        System.out.printf("member %d epoch %d: train NLL %.2f, validation NLL %.2f%n", member,
                                report.epoch(), report.trainNll(), report.validationNll());
                    }

                    @Override
                    public void checkpoint(byte[] checkpoint) {
                        checkpoints[0]++;
                        checkpoints[1] = checkpoint.length;
                    }
                });
        double seconds = (System.nanoTime() - started) / 1e9;
        NadeProvenance.Split split = r.model().provenance().split();
        System.out.printf("profiles %d (train %d, validation %d, test %d); %d members x %d epochs in %.1f s; "
                + "%d checkpoints, the last %d bytes%n", all.profileCount(), r.trainProfiles(), r.validationProfiles(),
                r.testProfiles(), members, epochs, seconds, checkpoints[0], checkpoints[1]);
        System.out.printf("split: seed %d, fractions %.2f / %.2f, chosen member %d, member validation NLL %s%n",
                split.seed(), split.validationFraction(), split.testFraction(), split.member(),
                split.memberValidationNll());
        System.out.printf("test NLL per profile %.2f; last-step RMSE per phase (atoms) %s; 90%% band coverage %s%n",
                r.evaluation().nllPerProfile(), Arrays.toString(Arrays.stream(r.evaluation().lastStep().rmse())
                        .map(NadeEvaluation::atoms).toArray()), Arrays.toString(r.evaluation().bandCoverage90()));
    }

    /** The first n profiles of a set. */
    private static final class SyntheticProfilesSlice {
        static ProfileArrays first(ProfileArrays all, int n) {
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            return NadeSplit.select(all, idx);
        }
    }
}
