package org.puente.certs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.puente.model.Country;

/** Sample PKIs shared by the test classes (generated once per test JVM) and a JDK PKIX check. */
final class Fixtures {
    private Fixtures() {
    }

    /** A fresh EC P-256 sample PKI, made once: tests never depend on the checked-in set's dates. */
    static SamplePki ecP256() {
        return EcP256Holder.PKI;
    }

    private static final class EcP256Holder {
        static final SamplePki PKI = SamplePki.generate(PkiProfile.EC_P256, Clock.systemUTC());
    }

    /** A leaf of the sample set: its file base name and how to find it in a {@link CountryPki}. */
    record Leaf(String fileBase, Function<CountryPki, IssuedCredential> credential) {
        @Override
        public String toString() {
            return fileBase;
        }
    }

    /** Every valid (not revoked) leaf of one country, by the file base name it is written under. */
    static List<Leaf> validLeaves(Country country) {
        Stream<Leaf> gateway = Stream.of(
                new Leaf("gateway-signing", CountryPki::gatewaySigning),
                new Leaf("gateway-encryption", CountryPki::gatewayEncryption),
                new Leaf("gateway-tls", CountryPki::gatewayTls),
                new Leaf("gateway-audit", CountryPki::gatewayAudit),
                new Leaf("tsa", CountryPki::timeStampingAuthority));
        Stream<Leaf> agencies = SampleNames.agencies(country).stream()
                .map(agency -> new Leaf("agency-" + agency.toLowerCase(Locale.ROOT), pki -> pki.agency(agency)));
        Stream<Leaf> people = Stream.of(new Leaf("operator", CountryPki::operator), new Leaf("auditor", CountryPki::auditor));
        return Stream.of(gateway, agencies, people).flatMap(s -> s).toList();
    }

    static String revokedLeafBase(Country country) {
        return "agency-" + SampleNames.revokedAgency(country).toLowerCase(Locale.ROOT) + "-revoked";
    }

    /**
     * Validates {@code chain} (leaf first; a trailing self-signed root is dropped) against one trust
     * anchor with the JDK's PKIX validator, revocation checking on and only the given CRLs available.
     */
    static PKIXCertPathValidatorResult pkixValidate(List<X509Certificate> chain, X509Certificate anchor,
                                                    Collection<X509CRL> crls, Date at) throws Exception {
        List<X509Certificate> path = chain;
        X509Certificate last = chain.get(chain.size() - 1);
        if (chain.size() > 1 && last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            path = chain.subList(0, chain.size() - 1);
        }
        CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(true);
        parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
        parameters.setDate(at);
        return (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    }

    static PKIXCertPathValidatorResult pkixValidate(IssuedCredential leaf, CountryPki trusted) throws Exception {
        return pkixValidate(leaf.chain(), trusted.trustAnchor(), trusted.crls(), new Date());
    }

    /** Every regular file under {@code dir}, as a {@code /}-separated relative path. */
    static Set<String> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .map(file -> dir.relativize(file).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
