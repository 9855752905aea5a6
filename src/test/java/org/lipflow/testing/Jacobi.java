package org.lipflow.testing;

import java.util.stream.IntStream;

/**
 * Cyclic Jacobi eigendecomposition of a symmetric matrix in double precision: the independent
 * oracle the spectral-norm and PCA tests compare lipflow's own solvers against.
 */
public final class Jacobi {
    private Jacobi() {
    }

    /** Eigenvalues in descending order; eigenvector j is column j of {@code vectors}. */
    public record Eigen(double[] values, double[][] vectors) {
    }

    /** The eigenvalues (descending) and eigenvectors (columns of {@code vectors}) of a symmetric matrix. */
    public static Eigen symmetric(double[][] a0) {
        int d = a0.length;
        double[][] a = new double[d][];
        for (int i = 0; i < d; i++) {
            a[i] = a0[i].clone();
        }
        double[][] v = new double[d][d];
        for (int i = 0; i < d; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-26) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < d; k++) {
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < d; k++) {
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < d; k++) {
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = IntStream.range(0, d).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, (i, j) -> Double.compare(a[j][j], a[i][i]));
        double[] values = new double[d];
        double[][] vectors = new double[d][d];
        for (int j = 0; j < d; j++) {
            values[j] = a[order[j]][order[j]];
            for (int i = 0; i < d; i++) {
                vectors[i][j] = v[i][order[j]];
            }
        }
        return new Eigen(values, vectors);
    }
}
