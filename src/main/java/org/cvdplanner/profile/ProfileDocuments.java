package org.cvdplanner.profile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.cvdplanner.synthesis.SynthesisProfile;

/** Conversions between the stored profile and its HTTP forms, and opaque paging cursors. */
final class ProfileDocuments {

    private ProfileDocuments() {
    }

    static ProfileDocument of(SynthesisProfile p) {
        List<ProfileStep> steps = new ArrayList<>(p.length());
        for (int t = 0; t < p.length(); t++) {
            var x = p.schedule().at(t);
            var z = p.trajectory().at(t);
            steps.add(new ProfileStep(t, x.temperatureK(), x.s2(), x.h2(), x.h2s(), z.phase2H(), z.phase1T(), z.phaseDefect()));
        }
        return new ProfileDocument(p.externalId(), steps);
    }

    static String cursor(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String fromCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new org.cvdplanner.system.ApiProblemException(org.springframework.http.HttpStatus.BAD_REQUEST,
                    "invalid-cursor", "Invalid cursor", "the cursor is not one this service issued").with("field", "cursor");
        }
    }
}
