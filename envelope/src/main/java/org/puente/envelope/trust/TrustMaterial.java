package org.puente.envelope.trust;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * Loads trusted root certificates (PEM, DER or PKCS#12 trust stores) and CRLs (PEM or DER) from
 * files. The gateway uses it both for envelope trust and for its TLS listeners, so both see the
 * same roots and the same revocation list.
 */
public final class TrustMaterial {
    private TrustMaterial() {
    }

    /** Every certificate in the given files; a {@code .p12}/{@code .pfx} file is read with {@code storePassword}. */
    public static List<X509Certificate> certificates(Collection<Path> files, char[] storePassword) {
        List<X509Certificate> out = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".p12") || name.endsWith(".pfx")) {
                out.addAll(fromKeyStore(file, storePassword));
            } else {
                out.addAll(fromCertificateFile(file));
            }
        }
        if (out.isEmpty()) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "no certificate found in " + files);
        }
        return List.copyOf(out);
    }

    /** Every CRL in the given PEM or DER files. */
    public static List<X509CRL> crls(Collection<Path> files) {
        List<X509CRL> out = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                    out.add((X509CRL) crl);
                }
            } catch (NoSuchFileException e) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "CRL file " + file + " does not exist");
            } catch (IOException | GeneralSecurityException e) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "CRL file " + file + " cannot be read");
            }
        }
        return List.copyOf(out);
    }

    private static List<X509Certificate> fromCertificateFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
            return certs;
        } catch (NoSuchFileException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "certificate file " + file + " does not exist");
        } catch (IOException | GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "certificate file " + file + " cannot be read");
        }
    }

    private static List<X509Certificate> fromKeyStore(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            List<X509Certificate> certs = new ArrayList<>();
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isCertificateEntry(alias)) {
                    certs.add((X509Certificate) ks.getCertificate(alias));
                }
            }
            return certs;
        } catch (NoSuchFileException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "trust store " + file + " does not exist");
        } catch (IOException | GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID,
                    "trust store " + file + " cannot be read (wrong password or not PKCS#12)");
        }
    }
}
