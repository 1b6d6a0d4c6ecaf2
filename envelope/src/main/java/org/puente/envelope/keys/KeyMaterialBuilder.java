package org.puente.envelope.keys;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** Collects keys made in code. */
public final class KeyMaterialBuilder {
    private final List<KeyMaterial.Entry> signing = new ArrayList<>();
    private final List<KeyMaterial.Entry> encryption = new ArrayList<>();
    private final List<KeyMaterial.Entry> tls = new ArrayList<>();
    private final List<KeyMaterial.Entry> audit = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    KeyMaterialBuilder() {
    }

    public KeyMaterialBuilder signing(PrivateKey key, List<X509Certificate> chain) {
        signing.add(entry(KeyMaterial.SIGNING + suffix(signing), key, chain));
        return this;
    }

    public KeyMaterialBuilder encryption(PrivateKey key, List<X509Certificate> chain) {
        encryption.add(entry(KeyMaterial.ENCRYPTION + suffix(encryption), key, chain));
        return this;
    }

    public KeyMaterialBuilder tls(PrivateKey key, List<X509Certificate> chain) {
        tls.add(entry(KeyMaterial.TLS + suffix(tls), key, chain));
        return this;
    }

    /** The separate key that signs the audit log ({@link KeyMaterial#auditSigning()}). */
    public KeyMaterialBuilder audit(PrivateKey key, List<X509Certificate> chain) {
        audit.add(entry(KeyMaterial.AUDIT + suffix(audit), key, chain));
        return this;
    }

    /** The clock deciding which signing certificate is already valid. */
    public KeyMaterialBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        return this;
    }

    public KeyMaterial build() {
        return new KeyMaterial(signing, encryption, tls, audit, clock);
    }

    private static String suffix(List<KeyMaterial.Entry> list) {
        return list.isEmpty() ? "" : "-" + (list.size() + 1);
    }

    private static KeyMaterial.Entry entry(String alias, PrivateKey key, List<X509Certificate> chain) {
        if (chain == null || chain.isEmpty()) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "key \"" + alias + "\" has no certificate");
        }
        return new KeyMaterial.Entry(alias, KeystoreLoader.toBouncyCastle(key), List.copyOf(chain));
    }
}
