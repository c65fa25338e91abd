package org.cvdplanner.nade;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.cvdplanner.synthesis.ProfileArrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;
import tools.jackson.databind.json.JsonMapper;

/** What only NADE-CVD artifacts need beside {@link org.cvdplanner.artifact.Artifacts}: the profile hash and DL4J networks. */
final class NadeArtifacts {

    /** Upper bound on one zip entry when reading, so a corrupt artifact cannot exhaust memory. */
    static final int MAX_ENTRY_BYTES = 256 << 20;

    private NadeArtifacts() {
    }

    /** SHA-256 of profiles in order: ids, step count, conditions and phases as little-endian floats. */
    static String profileHash(ProfileArrays... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (ProfileArrays part : parts) {
                digest.update(ByteBuffer.allocate(8).putInt(part.profileCount()).putInt(part.steps()).array());
                for (String id : part.externalIds()) {
                    byte[] b = id.getBytes(StandardCharsets.UTF_8);
                    digest.update(ByteBuffer.allocate(4).putInt(b.length).array());
                    digest.update(b);
                }
                digest.update(floats(part.conditions()));
                digest.update(floats(part.phases()));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] floats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    static byte[] writeNetwork(MultiLayerNetwork net, boolean withUpdater) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        try {
            ModelSerializer.writeModel(net, out, withUpdater);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static MultiLayerNetwork readNetwork(byte[] bytes, boolean withUpdater) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), withUpdater);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable DL4J network", e);
        }
    }
}
