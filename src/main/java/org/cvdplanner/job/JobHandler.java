package org.cvdplanner.job;

/**
 * One kind of asynchronous job (simulation campaign, NADE training, agent training, ...).
 * Implementations are Spring beans; the engine finds them by {@link #type()}.
 *
 * <p>Execution is at-least-once: after a crash the engine calls {@link #run} again with the
 * last saved checkpoint available from {@link JobContext#checkpoint()}. A handler must therefore
 * make its writes idempotent (e.g. derive external ids from the job, upsert) and resume from
 * the checkpoint instead of starting over.
 *
 * @param <P> the job's parameters, a record that is validated with Bean Validation before the
 *     job is stored and serialised as JSON into the job table
 */
public interface JobHandler<P> {

    /** Stable type name, e.g. {@code "nade-training"}; stored in the job table. */
    String type();

    Class<P> parametersType();

    /**
     * Checks the parameters beyond Bean Validation (e.g. that a referenced dataset exists) at
     * submission time. Throw {@link InvalidJobParametersException} naming the field.
     */
    default void validate(P parameters) {
    }

    /**
     * Does the work. Report progress and metrics through the context, call
     * {@link JobContext#throwIfCancelled()} at every epoch/episode/batch boundary, and save a
     * checkpoint whenever losing the work since the last one would hurt.
     *
     * @return what the job produced, shown to users as the job's result
     */
    JobResult run(P parameters, JobContext context) throws Exception;
}
