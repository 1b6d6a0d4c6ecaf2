package org.puente.engine.security;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The trust of one TLS listener or client: a PKIX validation against the given roots with
 * revocation checked against the CRLs in force (taken from a supplier, so that an operator's CRL
 * reload reaches the listener without a restart, all listeners at once), then what this side
 * requires of the certificate at the end of the chain: the extended key usage of its role and,
 * for the peer link, the peer gateway's name. A refusal here is a refused handshake: the caller
 * never gets an HTTP answer.
 */
public final class ReloadableTrustManager extends X509ExtendedTrustManager {
    /** What a listener or client requires of the end-entity certificate beyond PKIX. */
    @FunctionalInterface
    public interface EndEntityRule {
        void check(X509Certificate leaf) throws CertificateException;

        default EndEntityRule and(EndEntityRule next) {
            return leaf -> {
                check(leaf);
                next.check(leaf);
            };
        }
    }

    /** id-kp-serverAuth. */
    public static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    /** id-kp-clientAuth. */
    public static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final Supplier<X509ExtendedTrustManager> pkix;
    private final X509Certificate[] roots;
    private final EndEntityRule clients;
    private final EndEntityRule servers;

    /**
     * @param roots   the trusted roots (offered to clients as acceptable issuers)
     * @param pkix    the PKIX validation in force (replaced as a whole on a CRL reload)
     * @param clients what a client certificate must also satisfy
     * @param servers what a server certificate must also satisfy
     */
    public ReloadableTrustManager(List<X509Certificate> roots, Supplier<X509ExtendedTrustManager> pkix,
                                  EndEntityRule clients, EndEntityRule servers) {
        this.roots = roots.toArray(X509Certificate[]::new);
        this.pkix = pkix;
        this.clients = clients;
        this.servers = servers;
    }

    /** Fixed roots and CRLs; clients need clientAuth, servers serverAuth (tools and tests). */
    public ReloadableTrustManager(List<X509Certificate> roots, Collection<X509CRL> crls) {
        this(roots, constant(pkix(roots, crls)), requirePurpose(CLIENT_AUTH, "clientAuth"),
                requirePurpose(SERVER_AUTH, "serverAuth"));
    }

    private static Supplier<X509ExtendedTrustManager> constant(X509ExtendedTrustManager tm) {
        return () -> tm;
    }

    /**
     * A PKIX trust manager over these roots with revocation checked against these CRLs only (no
     * OCSP, no CRL distribution points fetched from inside the gateway; a certificate whose CA has
     * no current CRL here is refused).
     */
    public static X509ExtendedTrustManager pkix(List<X509Certificate> roots, Collection<X509CRL> crls) {
        try {
            Set<TrustAnchor> anchors = roots.stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toUnmodifiableSet());
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, new X509CertSelector());
            params.setRevocationEnabled(!crls.isEmpty());
            if (!crls.isEmpty()) {
                PKIXRevocationChecker checker = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX").getRevocationChecker();
                checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK));
                params.addCertPathChecker(checker);
            }
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(new CertPathTrustManagerParameters(params));
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new PuenteException(ErrorCode.INTERNAL_ERROR, "no PKIX trust manager");
        } catch (GeneralSecurityException e) {
            throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, e, "trust roots or CRLs: " + e.getMessage());
        }
    }

    /**
     * The certificate must name this purpose in its extended key usage.
     *
     * <p>Implementation note: the JDK's own check lets a certificate without the extension act for
     * any purpose (RFC 5280). Both countries' CAs also issue signing and encryption certificates
     * to the same subjects; requiring the extension keeps those off the TLS listeners.
     */
    public static EndEntityRule requirePurpose(String oid, String name) {
        return leaf -> {
            List<String> eku;
            try {
                eku = leaf.getExtendedKeyUsage();
            } catch (CertificateParsingException e) {
                throw new CertificateException("unreadable extended key usage", e);
            }
            if (eku == null || !eku.contains(oid)) {
                throw new CertificateException("\"" + leaf.getSubjectX500Principal().getName()
                        + "\" lacks the extended key usage " + name);
            }
        };
    }

    /** The certificate's single common name must be {@code name} (the peer gateway). */
    public static EndEntityRule requireCommonName(String name) {
        return leaf -> {
            String cn = CertificateNames.commonName(leaf);
            if (!name.equalsIgnoreCase(cn)) {
                throw new CertificateException("\"" + leaf.getSubjectX500Principal().getName() + "\" is not " + name);
            }
        };
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.get().checkClientTrusted(chain, authType, socket);
        clients.check(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.get().checkServerTrusted(chain, authType, socket);
        servers.check(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.get().checkClientTrusted(chain, authType, engine);
        clients.check(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.get().checkServerTrusted(chain, authType, engine);
        servers.check(chain[0]);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.get().checkClientTrusted(chain, authType);
        clients.check(chain[0]);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.get().checkServerTrusted(chain, authType);
        servers.check(chain[0]);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return roots.clone();
    }
}
