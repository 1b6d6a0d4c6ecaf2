package org.puente.model.samples;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The valid sample submissions of the bilateral catalogue, at least one per message type and
 * direction: demo traffic, documentation, and test input for every module. They are resources of
 * this library ({@code org/puente/model/samples/}), listed in {@code index.txt}.
 */
public final class SampleMessages {
    static final String FOLDER = "org/puente/model/samples/";

    /**
     * One sample submission.
     *
     * @param name  file name, {@code <messageType>.<direction>[.<variant>].json}, e.g. {@code cargo.manifest.us-to-mx.json}
     * @param bytes the submission document exactly as stored
     */
    public record Sample(String name, byte[] bytes) {

        public Sample {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The message type the file name starts with. */
        public String messageType() {
            String[] parts = name.split("\\.");
            return parts[0] + "." + parts[1];
        }

        /** {@code us-to-mx} or {@code mx-to-us}, from the file name. */
        public String direction() {
            return name.split("\\.")[2];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sample other && name.equals(other.name) && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private SampleMessages() {
    }

    /** Every sample, in index order. */
    public static List<Sample> all() {
        List<Sample> samples = new ArrayList<>();
        for (String name : names()) {
            samples.add(new Sample(name, read(FOLDER + name)));
        }
        return List.copyOf(samples);
    }

    /** The sample with this file name. */
    public static Optional<Sample> named(String name) {
        return names().contains(name) ? Optional.of(new Sample(name, read(FOLDER + name))) : Optional.empty();
    }

    /** The file names listed in the index. */
    public static List<String> names() {
        String index = new String(read(FOLDER + "index.txt"), StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new StringReader(index))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(names);
    }

    private static byte[] read(String resource) {
        try (InputStream in = SampleMessages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new PuenteException(ErrorCode.NOT_FOUND, "sample", resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
