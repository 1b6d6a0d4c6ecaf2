package org.puente.model.validation.domain;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A US employer identification number, {@code NN-NNNNNNN}. The two-digit prefix identifies the IRS
 * campus that assigned it; an unknown prefix is reported as a warning only, since the IRS may open
 * new ones.
 */
public final class EmployerIdentificationNumber {
    private static final Pattern SHAPE = Pattern.compile("[0-9]{2}-[0-9]{7}");
    /** Prefixes the IRS lists as assigned (by campus and for internet applications). */
    private static final Set<Integer> ASSIGNED_PREFIXES = prefixes();

    private EmployerIdentificationNumber() {
    }

    public static boolean isWellFormed(String value) {
        return value != null && SHAPE.matcher(value).matches();
    }

    /** Whether the prefix of a well-formed EIN is one the IRS assigns. */
    public static boolean hasAssignedPrefix(String value) {
        return isWellFormed(value) && ASSIGNED_PREFIXES.contains(Integer.parseInt(value.substring(0, 2)));
    }

    private static Set<Integer> prefixes() {
        int[][] ranges = {{1, 6}, {10, 16}, {20, 27}, {30, 48}, {50, 68}, {71, 77}, {80, 88}, {90, 95}, {98, 99}};
        java.util.Set<Integer> result = new java.util.HashSet<>();
        for (int[] r : ranges) {
            for (int p = r[0]; p <= r[1]; p++) {
                result.add(p);
            }
        }
        return Set.copyOf(result);
    }
}
