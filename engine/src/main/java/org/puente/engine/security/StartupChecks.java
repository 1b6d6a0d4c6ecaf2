package org.puente.engine.security;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The checks of a gateway's keys and trust files at start-up that stop it with one line naming
 * the configuration key: a certificate for another name, a key of the public SAMPLE PKI, roots
 * shared by both countries, a peer encryption certificate that does not reach the peer's root.
 */
final class StartupChecks {
    /** "SAMPLE" as a word of a subject: the public sample PKI writes it into every name it issues. */
    private static final Pattern SAMPLE = Pattern.compile("\\bSAMPLE\\b");

    private StartupChecks() {
    }

    static void requireName(String what, X509Certificate cert, String expected) {
        String cn = CertificateNames.commonName(cert);
        if (!expected.equalsIgnoreCase(cn)) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, what + " is a certificate for '" + cn
                    + "', not for '" + expected + "'");
        }
    }

    /**
     * The sample PKI is public (its keys are in git, its password in the documentation): a gateway
     * holding one of its keys protects nothing. Refused unless {@code puente.sample=true}.
     */
    static void refuseSampleKeys(KeyMaterial keys, boolean sample) {
        if (sample) {
            return;
        }
        Map<String, X509Certificate> held = new LinkedHashMap<>();
        held.put("signing", keys.signingCertificate());
        List<X509Certificate> encryption = keys.encryptionCertificates();
        for (int i = 0; i < encryption.size(); i++) {
            held.put(i == 0 ? "encryption" : "encryption-" + (i + 1), encryption.get(i));
        }
        keys.tlsChain().ifPresent(c -> held.put("tls", c.get(0)));
        for (Map.Entry<String, X509Certificate> e : held.entrySet()) {
            String subject = e.getValue().getSubjectX500Principal().getName();
            if (SAMPLE.matcher(subject).find()) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.pki.keystore holds the '" + e.getKey()
                        + "' key of the public SAMPLE PKI (\"" + subject + "\"), whose private keys anyone can read;"
                        + " use your own keys, or set puente.sample=true for a demo or a test");
            }
        }
    }

    /**
     * The two countries' roots must be distinct certificates with distinct names and keys: a root
     * in both lists would let this country's agencies pass as the peer gateway, and the peer's
     * certificates as our clients.
     */
    static void requireSeparateRoots(List<X509Certificate> own, List<X509Certificate> peer) {
        for (X509Certificate o : own) {
            for (X509Certificate p : peer) {
                if (o.equals(p) || o.getSubjectX500Principal().equals(p.getSubjectX500Principal())
                        || o.getPublicKey().equals(p.getPublicKey())) {
                    throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.pki.trust.own and puente.pki.trust.peer"
                            + " share the root \"" + o.getSubjectX500Principal().getName() + "\": each country's roots must be"
                            + " its own, or one country's certificates pass as the other's");
                }
            }
        }
    }

    /**
     * Checked before the CRLs, whose CAs this chain partly supplies: a peer encryption certificate
     * that does not reach the other country's root is a configuration error named as such.
     */
    static void requireChainToPeerRoot(List<X509Certificate> chain, List<X509Certificate> intermediates,
                                               List<X509Certificate> peerRoots) {
        List<X509Certificate> pool = new ArrayList<>(chain);
        pool.addAll(intermediates);
        if (!CertificateAuthorities.reaches(chain.get(0), pool, peerRoots)) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "puente.peer.encryption-certificate: \""
                    + chain.get(0).getSubjectX500Principal().getName() + "\" does not chain to the other country's root"
                    + " (puente.pki.trust.peer)" + (chain.size() == 1
                            ? "; give the certificate followed by its CA certificates, e.g. gateway-encryption.chain.pem" : ""));
        }
    }
}
