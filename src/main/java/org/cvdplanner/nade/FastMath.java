package org.cvdplanner.nade;

/**
 * Float sigmoid and tanh for the LSTM step. {@link #tanh} is a clamped odd/even rational
 * approximation (the one Eigen uses for float), absolute error below 4e-7, built only from
 * multiply, add, divide, min and max so HotSpot can vectorise loops over it.
 */
final class FastMath {

    private FastMath() {
    }

    /** Logistic function, 0.5 + 0.5 tanh(x / 2); absolute error below 3e-7. */
    static float sigmoid(float x) {
        return 0.5f + 0.5f * tanh(0.5f * x);
    }

    static float tanh(float a) {
        float x = Math.max(-7.90531110763549805f, Math.min(7.90531110763549805f, a));
        float x2 = x * x;
        float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
        p = x2 * p + -8.60467152213735e-11f;
        p = x2 * p + 5.12229709037114e-08f;
        p = x2 * p + 1.48572235717979e-05f;
        p = x2 * p + 6.37261928875436e-04f;
        p = x2 * p + 4.89352455891786e-03f;
        p = x * p;
        float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
        q = x2 * q + 2.26843463243900e-03f;
        q = x2 * q + 4.89352518554385e-03f;
        return p / q;
    }
}
