package org.cvdplanner.simulation;

import org.cvdplanner.synthesis.PhaseVector;

/**
 * The simulator's lattice: {@value #WIDTH} × {@value #HEIGHT} = 288 Mo sites (the RMD cell's
 * count) on a periodic triangular lattice, so every site has 6 neighbours. Site {@code i = y·W + x}
 * has the neighbours (x±1, y), (x, y±1), (x+1, y−1), (x−1, y+1) (axial coordinates), wrapped.
 */
final class Lattice {

    static final int WIDTH = 16;
    static final int HEIGHT = 18;
    static final int SITES = WIDTH * HEIGHT;
    static final int NEIGHBOURS = 6;

    /** {@code NEIGHBOUR[i * 6 + k]}: the k-th neighbour of site i. */
    static final int[] NEIGHBOUR = neighbours();

    static {
        if (SITES != PhaseVector.MO_ATOMS) {
            throw new AssertionError("lattice must have " + PhaseVector.MO_ATOMS + " sites");
        }
    }

    private Lattice() {
    }

    private static int[] neighbours() {
        int[][] offsets = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, -1}, {-1, 1}};
        int[] table = new int[SITES * NEIGHBOURS];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int i = y * WIDTH + x;
                for (int k = 0; k < NEIGHBOURS; k++) {
                    int nx = Math.floorMod(x + offsets[k][0], WIDTH);
                    int ny = Math.floorMod(y + offsets[k][1], HEIGHT);
                    table[i * NEIGHBOURS + k] = ny * WIDTH + nx;
                }
            }
        }
        return table;
    }
}
