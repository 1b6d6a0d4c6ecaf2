package org.puente.model.validation.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * A code list shipped as a resource ({@code CODE<TAB>name} per line), so that both gateways check
 * against the same list whatever JDK they run on.
 */
final class CodeList {
    private final Map<String, String> names;

    private CodeList(Map<String, String> names) {
        this.names = Map.copyOf(names);
    }

    static CodeList load(String resource) {
        try (InputStream in = CodeList.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "code list resource missing: " + resource);
            }
            Map<String, String> names = new LinkedHashMap<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                names.put(tab < 0 ? line.trim() : line.substring(0, tab), tab < 0 ? "" : line.substring(tab + 1));
            }
            return new CodeList(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean contains(String code) {
        return code != null && names.containsKey(code);
    }

    Optional<String> name(String code) {
        return Optional.ofNullable(code == null ? null : names.get(code));
    }

    int size() {
        return names.size();
    }
}
