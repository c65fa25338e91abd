package org.cvdplanner.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.cvdplanner.testkit.ServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Retention against the real database (same context as the upload tests). */
@ServiceTest
class RetentionTests {

    @Autowired
    Retention retention;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    RetentionProperties properties;

    UUID job(String status, String finishedAgo) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into job (id, type, status, parameters, seed, request_hash, finished_at) values "
                + "(?, 'retention-test', ?, '{}', 1, 'x', now() - ?::interval)", id, status, finishedAgo);
        jdbc.update("insert into job_metric (job_id, name, step, value, recorded_at) values (?, 'loss', 1, 0.5, now() - ?::interval)",
                id, finishedAgo);
        jdbc.update("insert into job_checkpoint (job_id, attempt, data) values (?, 1, ?)", id, new byte[] {1, 2, 3});
        return id;
    }

    int count(String table, String column, UUID id) {
        return jdbc.queryForObject("select count(*) from " + table + " where " + column + " = ?", Integer.class, id);
    }

    @Test
    void finishedJobsGoAfterTheirPeriodWithMetricsAndCheckpointsAndRunningOnesStay() {
        String old = (properties.finishedJobs().toDays() + 1) + " days";
        UUID oldSucceeded = job("SUCCEEDED", old);
        UUID oldFailed = job("FAILED", old);
        UUID recent = job("CANCELLED", "1 hour");
        UUID running = job("RUNNING", old);
        try {
            Map<String, Integer> deleted = retention.cleanUp(Instant.now());
            assertThat(deleted.get("jobs")).isGreaterThanOrEqualTo(2);
            assertThat(count("job", "id", oldSucceeded) + count("job", "id", oldFailed)).isZero();
            assertThat(count("job_metric", "job_id", oldSucceeded)).isZero();
            assertThat(count("job", "id", recent)).isEqualTo(1);
            assertThat(count("job_metric", "job_id", recent)).as("recent metrics kept").isEqualTo(1);
            assertThat(count("job_checkpoint", "job_id", recent)).as("a finished job never resumes").isZero();
            assertThat(count("job", "id", running)).isEqualTo(1);
            assertThat(count("job_checkpoint", "job_id", running)).as("a running job keeps its checkpoint").isEqualTo(1);
        } finally {
            jdbc.update("delete from job where type = 'retention-test'");
        }
    }

    @Test
    void oldProposalsGoUnlessTheyWereValidatedOrMeasuredAndRecentOnesStay() {
        UUID model = UUID.randomUUID();
        UUID agent = UUID.randomUUID();
        String sha = "0".repeat(64);
        Long dataset = jdbc.queryForObject("insert into dataset (name) values ('retention test') returning id", Long.class);
        jdbc.update("""
                insert into nade_model (id, dataset_id, artifact, artifact_sha256, artifact_size, hyper_parameters, seed, profile_hash,
                    split, steps, condition_ranges, dl4j_version, nd4j_backend, java_version, training_seconds, epochs_run,
                    best_epoch, validation_nll, test_nll, metrics)
                values (?, ?, '\\x00', ?, 1, '{}', 1, 'h', '{}', 20, '{}', 't', 't', 't', 1, 1, 1, 0, 0, '{}')""", model, dataset,
                sha);
        jdbc.update("""
                insert into agent (id, nade_model_id, objective, artifact, artifact_sha256, artifact_size, hyper_parameters,
                    provenance, reward_curve, seed, episodes, batch_size, steps, training_seconds, final_mean_objective)
                values (?, ?, 'MAX_2H_EARLY', '\\x00', ?, 1, '{}', '{}', '[]', 1, 1, 1, 20, 1, 0)""", agent, model, sha);
        String old = (properties.proposals().toDays() + 1) + " days";
        UUID oldPlain = proposal(agent, old);
        UUID oldSimulated = proposal(agent, old);
        jdbc.update("""
                insert into proposal_validation (id, proposal_id, replicas, seed, simulated_mean, simulated_p5, simulated_p95,
                    errors, simulated_final_2h) values (?, ?, 1, 1, '{}', '{}', '{}', '{}', 0)""", UUID.randomUUID(), oldSimulated);
        UUID oldMeasured = proposal(agent, old);
        jdbc.update("""
                insert into lab_result (id, proposal_id, agent_id, steps_measured, whole, measured, comparison)
                values (?, ?, ?, 1, false, '{}', '{}')""", UUID.randomUUID(), oldMeasured, agent);
        UUID recent = proposal(agent, "1 hour");
        try {
            Map<String, Integer> deleted = retention.cleanUp(Instant.now());
            assertThat(deleted.get("proposals")).isGreaterThanOrEqualTo(1);
            assertThat(count("proposal", "id", oldPlain)).as("an old proposal nobody checked").isZero();
            assertThat(count("proposal", "id", oldSimulated)).as("validated in the simulator").isEqualTo(1);
            assertThat(count("proposal", "id", oldMeasured)).as("a lab result refers to it").isEqualTo(1);
            assertThat(count("lab_result", "proposal_id", oldMeasured)).isEqualTo(1);
            assertThat(count("proposal", "id", recent)).as("younger than the period").isEqualTo(1);
        } finally {
            jdbc.update("delete from agent where id = ?", agent);
            jdbc.update("delete from nade_model where id = ?", model);
            jdbc.update("delete from dataset where id = ?", dataset);
        }
    }

    UUID proposal(UUID agent, String ago) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into proposal (id, agent_id, request_id, position, mode, seed, rollouts, steps, schedule, predicted_mean,
                    predicted_p5, predicted_p95, objective, objective_value, final_2h, warnings, created_at)
                values (?, ?, ?, 0, 'DETERMINISTIC', 1, 1, 1, '{1,0,0,0}', '{1,0,0}', '{1,0,0}', '{1,0,0}', 'MAX_2H_EARLY', 0, 0,
                    '[]', now() - ?::interval)""", id, agent, UUID.randomUUID(), ago);
        return id;
    }
}
