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

    /** Content hashes of those of {@code externalIds} that already exist in the dataset. */
    Map<String, byte[]> existingHashes(long datasetId, Collection<String> externalIds) {
        Map<String, byte[]> hashes = new HashMap<>();
        if (externalIds.isEmpty()) {
            return hashes;
        }
        jdbc.query(con -> {
            var statement = con.prepareStatement(
                    "select external_id, content_hash from profile where dataset_id = ? and external_id = any(?)");
            statement.setLong(1, datasetId);
            statement.setArray(2, con.createArrayOf("text", externalIds.toArray()));
            return statement;
        }, (ResultSet rs) -> {
            hashes.put(rs.getString(1), rs.getBytes(2));
        });
        return hashes;
    }

    /** Appends the profiles with COPY (inside the caller's transaction). */
    void insert(long datasetId, List<SynthesisProfile> profiles, List<byte[]> hashes) {
        if (profiles.isEmpty()) {
            return;
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            var copyIn = copy.copyIn("COPY profile (dataset_id, " + COLUMNS + ", content_hash) FROM STDIN");
            try {
                StringBuilder line = new StringBuilder(4096);
                HexFormat hex = HexFormat.of();
                for (int i = 0; i < profiles.size(); i++) {
                    SynthesisProfile p = profiles.get(i);
                    line.setLength(0);
                    line.append(datasetId).append('\t').append(escape(p.externalId()));
                    for (int c = 0; c < ConditionVector.SIZE; c++) {
                        line.append('\t');
                        appendArray(line, p, c, true);
                    }
                    for (int k = 0; k < PhaseVector.SIZE; k++) {
                        line.append('\t');
                        appendArray(line, p, k, false);
                    }
                    line.append("\t\\\\x").append(hex.formatHex(hashes.get(i))).append('\n');
                    byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
                    copyIn.writeToCopy(bytes, 0, bytes.length);
                }
                copyIn.endCopy();
            } finally {
                if (copyIn.isActive()) {
                    copyIn.cancelCopy();
                }
            }
        } catch (SQLException e) {
            throw new org.springframework.jdbc.UncategorizedSQLException("COPY profile", null, e) {
            };
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
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
