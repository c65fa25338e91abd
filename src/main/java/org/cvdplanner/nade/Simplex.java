package org.cvdplanner.nade;

/** Euclidean projection of 3-vectors onto the probability simplex. */
final class Simplex {

    private Simplex() {
    }

    /** Projects {@code v[offset..offset+2]} in place onto {x >= 0, sum x = 1}. */
    static void project(float[] v, int offset) {
        float a = v[offset];
        float b = v[offset + 1];
        float c = v[offset + 2];
        if (a >= 0 && b >= 0 && c >= 0 && Math.abs(a + b + c - 1) < 1e-7f) {
            return;
        }
        // sort descending
        float u0 = a;
        float u1 = b;
        float u2 = c;
        float tmp;
        if (u0 < u1) {
            tmp = u0; u0 = u1; u1 = tmp;
        }
        if (u1 < u2) {
            tmp = u1; u1 = u2; u2 = tmp;
        }
        if (u0 < u1) {
            tmp = u0; u0 = u1; u1 = tmp;
        }
        double theta = u0 - 1.0;
        double sum = u0;
        if (u1 - (sum + u1 - 1.0) / 2 > 0) {
            sum += u1;
            theta = (sum - 1.0) / 2;
            if (u2 - (sum + u2 - 1.0) / 3 > 0) {
                sum += u2;
                theta = (sum - 1.0) / 3;
            }
        }
        v[offset] = (float) Math.max(a - theta, 0);
        v[offset + 1] = (float) Math.max(b - theta, 0);
        v[offset + 2] = (float) Math.max(c - theta, 0);
    }
}
