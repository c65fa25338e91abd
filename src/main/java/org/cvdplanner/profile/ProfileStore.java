package org.cvdplanner.profile;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
     * Starts an upload inside the caller's transaction (which holds the dataset's share lock):
     * profiles stream to the server with binary COPY as they are read, so the service holds one
     * profile at a time, not the upload.
     *
     * <p>Into an empty dataset the rows go straight into {@code profile} (one pass, nothing to
     * check: ids repeat within an upload are refused by the caller). That needs the dataset's
     * upload lock exclusively, and the dataset to be empty after taking it: every other upload
     * into the dataset takes that lock shared before it inserts, so none can add a row until this
     * one commits. Otherwise (or when another upload holds the lock) the rows stream into a
     * temporary table and move in at {@link Upload#finish()}, checked against the stored ids.
     */
    Upload startUpload(long datasetId) {
        // empty before and after the lock: the second look is a new statement, so it sees every
        // upload that committed before the lock was granted
        boolean direct = isEmpty(datasetId)
                && Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(?, ?)", Boolean.class,
                        UPLOAD_LOCK, (int) datasetId))
                && isEmpty(datasetId);
        if (!direct) {
            jdbc.execute("create temp table if not exists profile_upload (external_id text, temperature_k float8[], "
                    + "s2 float8[], h2 float8[], h2s float8[], phase_2h float8[], phase_1t float8[], phase_defect float8[], "
                    + "content_hash bytea) on commit drop");
        }
        String copy = direct ? "COPY profile (dataset_id, " + COLUMNS + ", content_hash) FROM STDIN (FORMAT binary)"
                : "COPY profile_upload (" + COLUMNS + ", content_hash) FROM STDIN (FORMAT binary)";
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            CopyIn copyIn = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
            return new Upload(datasetId, direct, connection, copyIn);
        } catch (SQLException e) {
            DataSourceUtils.releaseConnection(connection, dataSource);
            throw translate(copy, e);
        }
    }

    private boolean isEmpty(long datasetId) {
        return !Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from profile where dataset_id = ?)",
                Boolean.class, datasetId));
    }

    /** First key of the per-dataset upload lock (a two-int advisory lock; the second key is the dataset id). */
    private static final int UPLOAD_LOCK = 0x50524f46;

    /** One upload in progress; {@link #finish()} makes its profiles part of the dataset. */
    final class Upload implements AutoCloseable {
        private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
        private static final int FLUSH_AT = 1 << 16;
        private static final int FLOAT8_OID = 701;

        private final long datasetId;
        private final boolean direct;
        private final Connection connection;
        private final CopyIn copyIn;
        private ByteBuffer buffer = ByteBuffer.allocate(FLUSH_AT + 4096);
        private boolean closed;
        private int staged;

        private Upload(long datasetId, boolean direct, Connection connection, CopyIn copyIn) {
            this.datasetId = datasetId;
            this.direct = direct;
            this.connection = connection;
            this.copyIn = copyIn;
            buffer.put(SIGNATURE).putInt(0).putInt(0);
        }

        /** Streams one profile to the server (ids are unique within an upload: the caller checks). */
        void add(SynthesisProfile p, byte[] hash) {
            byte[] id = p.externalId().getBytes(StandardCharsets.UTF_8);
            int n = p.length();
            int arrayBytes = 20 + 12 * n;
            int rowBytes = 2 + (direct ? 12 : 0) + 4 + id.length + 7 * (4 + arrayBytes) + 4 + hash.length;
            if (buffer.remaining() < rowBytes) {
                flush();
                if (buffer.capacity() < rowBytes) {
                    buffer = ByteBuffer.allocate(rowBytes);
                }
            }
            buffer.putShort((short) (direct ? 10 : 9));
            if (direct) {
                buffer.putInt(8).putLong(datasetId);
            }
            buffer.putInt(id.length).put(id);
            Schedule schedule = p.schedule();
            Trajectory trajectory = p.trajectory();
            for (int c = 0; c < ConditionVector.SIZE; c++) {
                arrayHeader(arrayBytes, n);
                for (int t = 0; t < n; t++) {
                    buffer.putInt(8).putDouble(schedule.at(t).get(c));
                }
            }
            for (int k = 0; k < PhaseVector.SIZE; k++) {
                arrayHeader(arrayBytes, n);
                for (int t = 0; t < n; t++) {
                    buffer.putInt(8).putDouble(trajectory.at(t).get(k));
                }
            }
            buffer.putInt(hash.length).put(hash);
            staged++;
            if (buffer.position() >= FLUSH_AT) {
                flush();
            }
        }

        /** A one-dimensional float8[] without nulls, in PostgreSQL's binary array format. */
        private void arrayHeader(int arrayBytes, int n) {
            buffer.putInt(arrayBytes).putInt(1).putInt(0).putInt(FLOAT8_OID).putInt(n).putInt(1);
        }

        private void flush() {
            try {
                copyIn.writeToCopy(buffer.array(), 0, buffer.position());
                buffer.clear();
            } catch (SQLException e) {
                throw translate("COPY profile", e);
            }
        }

        /**
         * Ends the COPY and stores the profiles whose ids are new; returns how many. Ids stored
         * with different content are a {@link ProfileConflictException} (the caller rolls back).
         * Staged rows go in in id order, so two overlapping uploads wait for each other instead
         * of deadlocking; ON CONFLICT lets the second skip what the first stored.
         */
        int finish() {
            buffer.putShort((short) -1);
            flush();
            try {
                copyIn.endCopy();
            } catch (SQLException e) {
                throw translate("COPY profile", e);
            }
            if (direct) {
                return staged;
            }
            // waits while an upload that copies straight into the dataset is in progress
            jdbc.queryForObject("select pg_advisory_xact_lock_shared(?, ?)::text", String.class, UPLOAD_LOCK, (int) datasetId);
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
