package org.puente.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.puente.certs.CountryPki;
import org.puente.certs.IssuedCredential;

/**
 * A SoftHSM2 token holding one country's gateway keys, made with SoftHSM's and OpenSC's own tools
 * (as an operator would import keys into an HSM): each key sensitive and not extractable, under
 * the label of its role, with its certificate, plus the issuing and root CA certificates.
 *
 * <p>SoftHSM2 reads its configuration from {@code SOFTHSM2_CONF} when a process first loads it; the
 * build sets that variable for the test JVMs (and the gateways they start inherit it). The token
 * must exist before the first load in a JVM.
 */
public final class SoftHsmToken {
    public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    public static final String PIN = "4711-sample";
    private static final String SO_PIN = "0815-sample";

    private SoftHsmToken() {
    }

    /** Why SoftHSM2 cannot be used here, if it cannot (for an assumption's message). */
    public static Optional<String> unavailable() {
        if (!Files.isRegularFile(LIBRARY)) {
            return Optional.of("SoftHSM2 is not installed (" + LIBRARY + " is missing; Debian package softhsm2)");
        }
        for (String tool : List.of("softhsm2-util", "pkcs11-tool")) {
            if (!onPath(tool)) {
                return Optional.of(tool + " is not installed (Debian packages softhsm2, opensc)");
            }
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null || conf.isBlank()) {
            return Optional.of("SOFTHSM2_CONF is not set for this JVM (the build's surefire configuration sets it)");
        }
        return Optional.empty();
    }

    /**
     * A fresh token store (the directory of {@code SOFTHSM2_CONF}) with one token labelled
     * {@code label} holding the gateway keys of {@code pki}.
     */
    public static void create(String label, CountryPki pki) throws IOException, InterruptedException {
        Path conf = Path.of(System.getenv("SOFTHSM2_CONF"));
        Path tokens = conf.resolveSibling("tokens");
        if (Files.exists(tokens)) {
            try (var walk = Files.walk(tokens)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(tokens);
        Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN);
        Path work = Files.createTempDirectory(conf.getParent(), "import");
        int id = 1;
        importKey(work, label, "signing", pki.gatewaySigning(), id++, "--usage-sign");
        importKey(work, label, "encryption", pki.gatewayEncryption(), id++, "--usage-derive");
        importKey(work, label, "tls", pki.gatewayTls(), id++, "--usage-sign");
        importKey(work, label, "audit", pki.gatewayAudit(), id++, "--usage-sign");
        importCertificate(work, label, "issuing-ca", pki.issuingCa().certificate(), id++);
        importCertificate(work, label, "root-ca", pki.rootCa().certificate(), id);
        try (var walk = Files.walk(work)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void importKey(Path work, String token, String label, IssuedCredential credential, int id,
                                  String usage) throws IOException, InterruptedException {
        Path key = work.resolve(label + ".key.der");
        Files.write(key, credential.key().getEncoded());
        String hexId = String.format("%02x", id);
        run("pkcs11-tool", "--module", LIBRARY.toString(), "--token-label", token, "--login", "--pin", PIN,
                "--write-object", key.toString(), "--type", "privkey", "--label", label, "--id", hexId, usage,
                "--sensitive", "--private");
        Files.delete(key);
        importCertificate(work, token, label, credential.certificate(), id);
    }

    private static void importCertificate(Path work, String token, String label, X509Certificate certificate, int id)
            throws IOException, InterruptedException {
        Path der = work.resolve(label + ".der");
        try {
            Files.write(der, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
        run("pkcs11-tool", "--module", LIBRARY.toString(), "--token-label", token, "--login", "--pin", PIN,
                "--write-object", der.toString(), "--type", "cert", "--label", label, "--id", String.format("%02x", id));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command).replace(PIN, "****") + " failed:\n" + out);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
