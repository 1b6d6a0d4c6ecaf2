package org.puente.cli.audit.evidence;

import org.puente.envelope.Fingerprints;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.puente.model.CanonicalJson;

/**
 * The layout of an evidence bundle for one message (docs/audit.md, "Evidence for one message"):
 * where each file lives, and the manifest that lists every file with its SHA-256.
 *
 * <p>Implementation note: the manifest is not signed. It catches a file damaged or swapped by
 * accident, not a forger, who can recompute it; what a forger cannot recompute are the
 * signatures of the two gateways and the Merkle root they both signed, which
 * {@link EvidenceVerifier} checks after the manifest.
 */
public final class EvidenceBundle {
    public static final String FORMAT = "puente-evidence/1";
    public static final String MANIFEST = "manifest.json";
    public static final String README = "README.md";
    public static final String ENTRIES = "entries.jsonl";
    public static final String PROOFS = "proofs";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String RECEIPT = "receipt.p7s";
    public static final String DELIVERY_NOTICE = "delivery-notice.p7s";
    public static final String OUR_RECEIPT = "our-receipt.p7s";
    public static final String TRUST_OWN = "trust/own";
    public static final String TRUST_PEER = "trust/peer";
    public static final String TRUST_CRL = "trust/crl";

    private EvidenceBundle() {
    }

    /**
     * What {@code manifest.json} says.
     *
     * @param gateway the gateway whose log this is (the signer of the checkpoints), from its auditor API
     * @param witness the peer gateway that cosigned the checkpoints (and signed the receipt and notice)
     * @param files   every other file of the bundle (relative path with '/') and its SHA-256 in hex
     */
    @JsonPropertyOrder(alphabetic = true)
    public record Manifest(String format, String messageId, String gateway, String witness, Instant madeAt,
                           SortedMap<String, String> files) {
    }

    public static String proof(long seq) {
        return PROOFS + "/" + seq + ".json";
    }

    public static String checkpoint(long treeSize) {
        return CHECKPOINTS + "/" + treeSize + ".p7s";
    }

    public static String cosignature(long treeSize) {
        return CHECKPOINTS + "/" + treeSize + ".cosignature.p7s";
    }

    /** The RFC 3161 token over the checkpoint's SHA-256, when the gateway's TSA stamped it. */
    public static String timestamp(long treeSize) {
        return CHECKPOINTS + "/" + treeSize + ".tsr";
    }

    /** Writes the manifest of every file now in {@code dir}. */
    public static Manifest writeManifest(Path dir, String messageId, String gateway, String witness, Instant madeAt)
            throws IOException {
        Manifest m = new Manifest(FORMAT, messageId, gateway, witness, madeAt, new TreeMap<>(digests(dir)));
        Files.write(dir.resolve(MANIFEST), CanonicalJson.bytes(m));
        return m;
    }

    public static Manifest readManifest(Path dir) throws IOException {
        try {
            return CanonicalJson.read(Files.readAllBytes(dir.resolve(MANIFEST)), Manifest.class);
        } catch (RuntimeException e) {
            throw new IOException(MANIFEST + " cannot be read: " + e.getMessage());
        }
    }

    /** SHA-256 of every file under {@code dir} but the manifest, by relative path with '/'. */
    public static Map<String, String> digests(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = relative(dir, p);
                if (!name.equals(MANIFEST)) {
                    out.put(name, sha256(p));
                }
            }
        }
        return out;
    }

    public static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md = Fingerprints.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return Fingerprints.hex(md.digest());
    }

    public static String sha256(byte[] bytes) {
        return Fingerprints.hex(Fingerprints.sha256(bytes));
    }
}
