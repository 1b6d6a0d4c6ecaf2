package org.puente.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/** RFC 9162 MTH, PATH and PROOF written as literally as the RFC, over a list of leaf hashes. */
final class NaiveMerkle {

    private NaiveMerkle() {
    }

    /** MTH(D[n]) over leaf hashes. */
    static byte[] mth(List<byte[]> d) {
        if (d.isEmpty()) {
            return MerkleHash.emptyRoot();
        }
        if (d.size() == 1) {
            return d.get(0);
        }
        int k = k(d.size());
        return MerkleHash.nodeHash(mth(d.subList(0, k)), mth(d.subList(k, d.size())));
    }

    /** PATH(m, D[n]). */
    static List<byte[]> path(int m, List<byte[]> d) {
        List<byte[]> out = new ArrayList<>();
        if (d.size() <= 1) {
            return out;
        }
        int k = k(d.size());
        if (m < k) {
            out.addAll(path(m, d.subList(0, k)));
            out.add(mth(d.subList(k, d.size())));
        } else {
            out.addAll(path(m - k, d.subList(k, d.size())));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    /** PROOF(m, D[n]). */
    static List<byte[]> proof(int m, List<byte[]> d) {
        return m == 0 ? new ArrayList<>() : subproof(m, d, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
        List<byte[]> out = new ArrayList<>();
        int n = d.size();
        if (m == n) {
            if (!b) {
                out.add(mth(d));
            }
            return out;
        }
        int k = k(n);
        if (m <= k) {
            out.addAll(subproof(m, d.subList(0, k), b));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(subproof(m - k, d.subList(k, n), false));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    /** The largest power of two smaller than n, by counting up as the RFC words it. */
    private static int k(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }
}
