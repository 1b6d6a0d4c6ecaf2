package org.puente.engine.cases;

import java.util.HashMap;
import java.util.Map;

/** Cases not yet closed, per role ({@code REQUESTING}: our agency asked; {@code REQUESTED}: it was asked). */
public record CaseCounts(Map<String, Count> byRole) {
    public static final CaseCounts NONE = new CaseCounts(Map.of());

    /** How many are open, due within the warning window, and past due. */
    public record Count(long open, long dueSoon, long overdue) {
        static final Count ZERO = new Count(0, 0, 0);
    }

    public Count of(String role) {
        return byRole.getOrDefault(role, Count.ZERO);
    }

    CaseCounts with(String role, Count count) {
        Map<String, Count> m = new HashMap<>(byRole);
        m.put(role, count);
        return new CaseCounts(Map.copyOf(m));
    }
}
