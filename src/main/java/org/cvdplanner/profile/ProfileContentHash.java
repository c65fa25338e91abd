package org.cvdplanner.profile;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.cvdplanner.synthesis.SynthesisProfile;

/**
 * SHA-256 of a profile's numbers (exact IEEE bits, step by step): identical content ⇔ identical
 * hash, which makes re-uploads idempotent without comparing arrays in SQL.
 */
final class ProfileContentHash {

    private ProfileContentHash() {
    }

    static byte[] of(SynthesisProfile profile) {
        int n = profile.length();
        ByteBuffer buffer = ByteBuffer.allocate(4 + n * 7 * 8);
        buffer.putInt(n);
        for (int t = 0; t < n; t++) {
            var x = profile.schedule().at(t);
            var z = profile.trajectory().at(t);
            buffer.putDouble(x.temperatureK()).putDouble(x.s2()).putDouble(x.h2()).putDouble(x.h2s())
                    .putDouble(z.phase2H()).putDouble(z.phase1T()).putDouble(z.phaseDefect());
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(buffer.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
