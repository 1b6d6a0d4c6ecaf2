package org.puente.engine.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Typed reads of configuration keys; every failure names the key and says what is wrong in one
 * line, so a gateway with bad configuration stops at start-up, not at the first message.
 */
public final class Settings {
    private final Function<String, Optional<String>> source;
    private final Path baseDir;

    /**
     * @param source  looks a key up (Camel's properties component: application.properties, then
     *                JVM system properties and environment variables that override it)
     * @param baseDir the directory relative paths are resolved against
     */
    public Settings(Function<String, Optional<String>> source, Path baseDir) {
        this.source = source;
        this.baseDir = baseDir;
    }

    public Optional<String> optional(String key) {
        return source.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> invalid(key, "is missing"));
    }

    public String text(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public int integer(String key, int fallback, int min, int max) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw invalid(key, "must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number, got '" + raw.get() + "'");
        }
    }

    public long longValue(String key, long fallback, long min, long max) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value < min || value > max) {
                throw invalid(key, "must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number, got '" + raw.get() + "'");
        }
    }

    public boolean bool(String key, boolean fallback) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get().toLowerCase()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(key, "must be true or false, got '" + raw.get() + "'");
        };
    }

    public Duration duration(String key, Duration fallback) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(raw.get());
            if (d.isNegative() || d.isZero()) {
                throw invalid(key, "must be a positive ISO-8601 duration, got '" + raw.get() + "'");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw invalid(key, "must be an ISO-8601 duration such as PT30S, got '" + raw.get() + "'");
        }
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            if (fallback == null) {
                throw invalid(key, "is missing; one of " + Arrays.toString(type.getEnumConstants()));
            }
            return fallback;
        }
        try {
            return Enum.valueOf(type, raw.get().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw invalid(key, "must be one of " + Arrays.toString(type.getEnumConstants()) + ", got '" + raw.get() + "'");
        }
    }

    public URI httpsUrl(String key) {
        String raw = required(key);
        try {
            URI uri = URI.create(raw);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw invalid(key, "must be an https:// URL, got '" + raw + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw invalid(key, "is not a URL: '" + raw + "'");
        }
    }

    /** A path that must name a readable file. */
    public Path readableFile(String key) {
        return readableFile(key, required(key));
    }

    public Path readableFile(String key, String raw) {
        Path path = resolve(raw);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw invalid(key, "names a file that cannot be read: " + path);
        }
        return path;
    }

    public List<Path> readableFiles(String key) {
        return list(key).stream().map(v -> readableFile(key, v)).toList();
    }

    public Path directory(String key, String fallback) {
        return resolve(text(key, fallback));
    }

    public List<String> list(String key) {
        return optional(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    public Path resolve(String raw) {
        Path p = Path.of(raw);
        return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
    }

    public static PuenteException invalid(String key, String what) {
        return new PuenteException(ErrorCode.CONFIGURATION_INVALID, key + " " + what);
    }
}
