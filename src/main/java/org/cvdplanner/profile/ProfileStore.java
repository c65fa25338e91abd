package org.cvdplanner.profile;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.cvdplanner.synthesis.ConditionBounds;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.Schedule;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.cvdplanner.synthesis.Trajectory;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Repository;

/**
 * Profiles as bulk data: one row per profile, one {@code double precision[]} per series. Writes
 * go through PostgreSQL COPY and reads through one sequential scan, so a 10,000-profile dataset
 * moves in well under a second. Callers provide the transaction.
 */
@Repository
class ProfileStore {

    private static final String COLUMNS = "external_id, temperature_k, s2, h2, h2s, phase_2h, phase_1t, phase_defect";

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;

    ProfileStore(JdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** Share-locks the dataset row for an upload (deletes wait); its step count, empty when it does not exist. */
    Optional<Integer> lockDataset(long datasetId) {
        return jdbc.queryForList("select step_count from dataset where id = ? for share", Integer.class, datasetId)
                .stream().findFirst();
    }

    /** Locks the dataset row for its deletion (waits for uploads in progress). */
    Optional<Long> lockDatasetForDelete(long datasetId) {
        return jdbc.queryForList("select id from dataset where id = ? for update", Long.class, datasetId).stream().findFirst();
    }

    /**
     * Starts an upload inside the caller's transaction: profiles stream into a temporary table
     * with COPY as they are read, so the service holds one profile at a time, not the upload.
     */
    Upload startUpload(long datasetId) {
        jdbc.execute("create temp table if not exists profile_upload (external_id text, temperature_k float8[], "
                + "s2 float8[], h2 float8[], h2s float8[], phase_2h float8[], phase_1t float8[], phase_defect float8[], "
                + "content_hash bytea) on commit drop");
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            CopyIn copyIn = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY profile_upload (" + COLUMNS + ", content_hash) FROM STDIN");
            return new Upload(datasetId, connection, copyIn);
        } catch (SQLException e) {
            DataSourceUtils.releaseConnection(connection, dataSource);
            throw translate("COPY profile_upload", e);
        }
    }

    /** One upload in progress; {@link #finish()} moves its profiles into the dataset. */
    final class Upload implements AutoCloseable {
        private final long datasetId;
        private final Connection connection;
        private final CopyIn copyIn;
        private final StringBuilder line = new StringBuilder(4096);
        private final HexFormat hex = HexFormat.of();
        private boolean closed;
        private int staged;

        private Upload(long datasetId, Connection connection, CopyIn copyIn) {
            this.datasetId = datasetId;
            this.connection = connection;
            this.copyIn = copyIn;
        }

        /** Streams one profile to the server (ids are unique within an upload: the caller checks). */
        void add(SynthesisProfile p, byte[] hash) {
            line.setLength(0);
            line.append(escape(p.externalId()));
            for (int c = 0; c < ConditionVector.SIZE; c++) {
                line.append('\t');
                appendArray(line, p, c, true);
            }
            for (int k = 0; k < PhaseVector.SIZE; k++) {
                line.append('\t');
                appendArray(line, p, k, false);
            }
            line.append("\t\\\\x").append(hex.formatHex(hash)).append('\n');
            byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
            try {
                copyIn.writeToCopy(bytes, 0, bytes.length);
                staged++;
            } catch (SQLException e) {
                throw translate("COPY profile_upload", e);
            }
        }

        /**
         * Ends the COPY and stores the profiles whose ids are new; returns how many. Ids stored
         * with different content are a {@link ProfileConflictException} (the caller rolls back).
         * Rows go in in id order, so two overlapping uploads wait for each other instead of
         * deadlocking; ON CONFLICT lets the second skip what the first stored.
         */
        int finish() {
            try {
                copyIn.endCopy();
            } catch (SQLException e) {
                throw translate("COPY profile_upload", e);
            }
            if (staged >= 1000) {
                // a temporary table has no statistics: without them the planner may pick a
                // nested loop over a large upload (minutes instead of a second)
                jdbc.execute("analyze profile_upload");
            }
            requireNoConflicts();
            int created = jdbc.update("insert into profile (dataset_id, " + COLUMNS + ", content_hash) select ?, "
                    + COLUMNS + ", content_hash from profile_upload order by external_id "
                    + "on conflict (dataset_id, external_id) do nothing", datasetId);
            if (created < staged) {
                // some ids were stored already, perhaps by a concurrent upload with other content
                requireNoConflicts();
            }
            return created;
        }

        private void requireNoConflicts() {
            List<String> conflicts = jdbc.queryForList("""
                    select s.external_id from profile_upload s
                    join profile p on p.dataset_id = ? and p.external_id = s.external_id
                    where p.content_hash <> s.content_hash order by s.external_id limit 1000""", String.class, datasetId);
            if (!conflicts.isEmpty()) {
                throw new ProfileConflictException(datasetId, conflicts);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (copyIn.isActive()) {
                    copyIn.cancelCopy();
                }
            } catch (SQLException e) {
                // the transaction rolls back anyway
            } finally {
                DataSourceUtils.releaseConnection(connection, dataSource);
            }
        }
    }

    private RuntimeException translate(String task, SQLException e) {
        // translated (not wrapped) so that a lost connection reads as transient and a
        // duplicate key as a duplicate key
        RuntimeException translated = jdbc.getExceptionTranslator().translate(task, null, e);
        return translated != null ? translated : new org.springframework.jdbc.UncategorizedSQLException(task, null, e);
    }

    private static void appendArray(StringBuilder line, SynthesisProfile p, int component, boolean condition) {
        line.append('{');
        for (int t = 0; t < p.length(); t++) {
            if (t > 0) {
                line.append(',');
            }
            line.append(condition ? p.schedule().at(t).get(component) : p.trajectory().at(t).get(component));
        }
        line.append('}');
    }

    /** COPY text format: backslash escapes (control characters are rejected by validation). */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }

    /** Every profile of the dataset as flat arrays, ordered by external id. */
    ProfileArrays loadArrays(long datasetId, int steps) {
        List<String> ids = new ArrayList<>();
        FloatBuffer x = new FloatBuffer(1 << 16);
        FloatBuffer z = new FloatBuffer(1 << 16);
        jdbc.query(con -> {
            var statement = con.prepareStatement("select " + COLUMNS + " from profile where dataset_id = ? order by external_id");
            // binary transfer of the float8[] columns: no text parsing of 1.4 million numbers
            statement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
            // a cursor (the caller's transaction): rows arrive 1,000 at a time, not all at once
            statement.setFetchSize(1000);
            statement.setLong(1, datasetId);
            return statement;
        }, (ResultSet rs) -> {
            ids.add(rs.getString(1));
            double[][] series = new double[7][];
            for (int s = 0; s < 7; s++) {
                series[s] = doubles(rs.getArray(2 + s));
            }
            for (int t = 0; t < steps; t++) {
                for (int c = 0; c < 4; c++) {
                    x.add((float) series[c][t]);
                }
                for (int k = 0; k < 3; k++) {
                    z.add((float) series[4 + k][t]);
                }
            }
        });
        return new ProfileArrays(ids, steps, x.toArray(), z.toArray());
    }

    Optional<SynthesisProfile> find(long datasetId, String externalId) {
        List<SynthesisProfile> found = jdbc.query("select " + COLUMNS + " from profile where dataset_id = ? and external_id = ?",
                (rs, i) -> profile(rs), datasetId, externalId);
        return found.stream().findFirst();
    }

    /** One page in external-id order, after the given id (exclusive; null for the first page). */
    List<SynthesisProfile> page(long datasetId, String afterExternalId, int limit) {
        if (afterExternalId == null) {
            return jdbc.query("select " + COLUMNS + " from profile where dataset_id = ? order by external_id limit ?",
                    (rs, i) -> profile(rs), datasetId, limit);
        }
        return jdbc.query("select " + COLUMNS + " from profile where dataset_id = ? and external_id > ? order by external_id limit ?",
                (rs, i) -> profile(rs), datasetId, afterExternalId, limit);
    }

    /** Streams every profile of the dataset in external-id order (needs a transaction for the cursor). */
    void forEach(long datasetId, Consumer<SynthesisProfile> consumer) {
        jdbc.query(con -> {
            var statement = con.prepareStatement("select " + COLUMNS + " from profile where dataset_id = ? order by external_id");
            statement.setFetchSize(500);
            statement.setLong(1, datasetId);
            return statement;
        }, (ResultSet rs) -> {
            consumer.accept(profile(rs));
        });
    }

    long count(long datasetId) {
        Long count = jdbc.queryForObject("select count(*) from profile where dataset_id = ?", Long.class, datasetId);
        return count == null ? 0 : count;
    }

    /** Smallest and largest value of each condition over the dataset; null when it is empty. */
    ConditionBounds conditionRanges(long datasetId) {
        return jdbc.query("""
                select min(t), max(t), min(s), max(s), min(h), max(h), min(hs), max(hs), count(*)
                from profile p, unnest(p.temperature_k, p.s2, p.h2, p.h2s) as u(t, s, h, hs)
                where p.dataset_id = ?""", rs -> {
            rs.next();
            if (rs.getLong(9) == 0) {
                return null;
            }
            return new ConditionBounds(new ConditionVector(rs.getDouble(1), rs.getDouble(3), rs.getDouble(5), rs.getDouble(7)),
                    new ConditionVector(rs.getDouble(2), rs.getDouble(4), rs.getDouble(6), rs.getDouble(8)));
        }, datasetId);
    }

    private static SynthesisProfile profile(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        double[][] series = new double[7][];
        for (int s = 0; s < 7; s++) {
            series[s] = doubles(rs.getArray(2 + s));
        }
        int n = series[0].length;
        List<ConditionVector> xs = new ArrayList<>(n);
        List<PhaseVector> zs = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            xs.add(new ConditionVector(series[0][t], series[1][t], series[2][t], series[3][t]));
            zs.add(new PhaseVector(series[4][t], series[5][t], series[6][t]));
        }
        return new SynthesisProfile(id, new Schedule(xs), new Trajectory(zs));
    }

    private static double[] doubles(Array array) throws SQLException {
        Object values = array.getArray();
        if (values instanceof double[] primitive) {
            return primitive;
        }
        Double[] boxed = (Double[]) values;
        double[] result = new double[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            result[i] = boxed[i];
        }
        return result;
    }

    /** A growable float array (avoids boxing 2 million values). */
    private static final class FloatBuffer {
        private float[] values;
        private int size;

        FloatBuffer(int capacity) {
            values = new float[capacity];
        }

        void add(float value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = value;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
