package org.puente.system;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Follows a gateway's JSON log (appended across restarts) from its current end, to act the moment
 * a line appears: the crash tests kill a gateway right after it logs that it stored a message or
 * holds a receipt. A gateway logs those events after the unit that records them has committed.
 */
final class LogWatch {
    private final Path log;
    private long position;

    LogWatch(Path log) {
        this.log = log;
        this.position = size();
    }

    /** Waits until a line written after the last call (or the start) contains {@code text}; false at timeout. */
    boolean await(String text, Duration timeout) {
        return line(text, timeout).isPresent();
    }

    /** The first line written after the last call (or the start) that contains {@code text}, or empty at timeout. */
    java.util.Optional<String> line(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder partial = new StringBuilder();
        while (System.nanoTime() < deadline) {
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                if (f.length() < position) {
                    position = 0;
                }
                f.seek(position);
                byte[] buf = new byte[(int) Math.min(1 << 20, f.length() - position)];
                int n = f.read(buf);
                if (n > 0) {
                    position += n;
                    partial.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        String line = partial.substring(0, nl);
                        partial.delete(0, nl + 1);
                        if (line.contains(text)) {
                            return java.util.Optional.of(line);
                        }
                    }
                    continue;
                }
            } catch (IOException e) {
                // not written yet
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }

    private long size() {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
