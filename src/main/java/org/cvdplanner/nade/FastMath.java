package org.cvdplanner.nade;

/** Float sigmoid and tanh for the LSTM step (relative error ~1e-7, like the float kernels). */
final class FastMath {

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;

    private FastMath() {
    }

    /** e^x in float precision (Cody-Waite reduction, degree-6 polynomial). */
    static float exp(float x) {
        if (x > 88f) {
            return Float.POSITIVE_INFINITY;
        }
        if (x < -87f) {
            return 0f;
        }
        float k = (float) Math.floor(x * LOG2E + 0.5f);
        float r = x - k * LN2_HI - k * LN2_LO;
        float p = 1f + r * (1f + r * (0.5f + r * (1.6666667e-1f + r * (4.1666668e-2f
                + r * (8.3333338e-3f + r * 1.3888889e-3f)))));
        return Float.intBitsToFloat(((int) k + 127) << 23) * p;
    }

    static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    static float tanh(float x) {
        float e = exp(-2f * Math.abs(x));
        float t = (1f - e) / (1f + e);
        return x < 0 ? -t : t;
    }
}
