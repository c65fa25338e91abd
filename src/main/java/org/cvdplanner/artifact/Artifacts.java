package org.cvdplanner.artifact;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.nd4j.linalg.factory.Nd4j;
import tools.jackson.databind.json.JsonMapper;

/**
 * The container every trained thing (NADE-CVD models, agents, their checkpoints) is stored in: a
 * zip of named entries written with fixed timestamps (the same content gives the same bytes, so
 * the same SHA-256), read back with a bound on each entry, plus the library versions that
 * provenance records.
 */
public final class Artifacts {

    /** JSON of metadata and provenance entries. */
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private Artifacts() {
    }

    /** Lower-case hex SHA-256 of {@code bytes}: the identity an artifact is verified by. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A zip of the entries in their iteration order, every entry dated 0 (reproducible bytes). */
    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                ZipEntry e = new ZipEntry(entry.getKey());
                e.setTime(0);
                zip.putNextEntry(e);
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The entries of a zip, in order. An entry above {@code maxEntryBytes} or an unreadable zip is
     * an {@link IllegalArgumentException} naming {@code kind} ("NADE", "agent"), so a corrupt
     * artifact cannot exhaust memory.
     */
    public static Map<String, byte[]> unzip(byte[] bytes, int maxEntryBytes, String kind) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries.put(entry.getName(), readBounded(zip, maxEntryBytes));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a readable " + kind + " artifact: " + e.getMessage(), e);
        }
        return entries;
    }

    private static byte[] readBounded(InputStream in, int maxEntryBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 << 10];
        int n;
        long total = 0;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > maxEntryBytes) {
                throw new IOException("entry larger than " + maxEntryBytes + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** The entry {@code name}, or an {@link IllegalArgumentException} when the artifact has none. */
    public static byte[] require(Map<String, byte[]> entries, String name) {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            throw new IllegalArgumentException("artifact has no entry " + name);
        }
        return bytes;
    }

    /** The Deeplearning4j version on the class path ("unknown" when its pom properties are absent). */
    public static String dl4jVersion() {
        try (InputStream in = Artifacts.class.getResourceAsStream(
                "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "unknown");
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "unknown";
    }

    /** The ND4J backend in use, e.g. CpuBackend. */
    public static String nd4jBackend() {
        return Nd4j.getBackend().getClass().getSimpleName();
    }
}
