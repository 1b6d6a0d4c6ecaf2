package org.puente.certs;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.puente.model.Country;

/** Writes a {@link SamplePki} as the folder layout of the README and records each file in the manifest. */
final class SampleSetWriter {
    private final Path dir;
    private final char[] password;
    private final List<SampleManifest.Entry> entries = new ArrayList<>();

    SampleSetWriter(Path dir, char[] password) {
        this.dir = dir;
        this.password = password.clone();
    }

    SampleManifest write(SamplePki pki) {
        for (Country country : Country.values()) {
            writeCountry(pki.country(country), pki.country(country.peer()));
        }
        SampleManifest manifest = new SampleManifest(pki.generatedAt().toString(), pki.profile().cliName(),
                SampleManifest.WARNING, entries);
        file(SampleManifest.FILE_NAME, manifest.toJson().getBytes(StandardCharsets.UTF_8), false);
        return manifest;
    }

    private void writeCountry(CountryPki own, CountryPki peer) {
        Country c = own.country();
        String folder = SampleNames.folder(c);
        certificate(folder + "/root-ca.pem", c, SampleFileRole.ROOT_CA, own.rootCa().certificate(),
                c + " root CA: trust anchor of the " + c + " agencies, operators and gateway; the "
                        + c.peer() + " gateway trusts it as its peer root");
        crl(folder + "/root-ca.crl.pem", c, own.rootCrl(),
                "CRL of the " + c + " root CA (nothing revoked): a full-chain revocation check needs one per CA");
        certificate(folder + "/issuing-ca.pem", c, SampleFileRole.ISSUING_CA, own.issuingCa().certificate(),
                c + " issuing CA (pathLen 0): signs every " + c + " leaf certificate");
        crl(folder + "/issuing-ca.crl.pem", c, own.issuingCrl(),
                "CRL of the " + c + " issuing CA: revokes " + SampleNames.revokedAgency(c) + "'s revoked client certificate");

        leaf(folder, "gateway-signing", c, SampleFileRole.GATEWAY_SIGNING, own.gatewaySigning(),
                c + " gateway message signing (CMS SignedData, signed receipts, notices, reconciliation reports)", false);
        leaf(folder, "gateway-encryption", c, SampleFileRole.GATEWAY_ENCRYPTION, own.gatewayEncryption(),
                c + " gateway message decryption (recipient of CMS AuthEnvelopedData)", false);
        leaf(folder, "gateway-tls", c, SampleFileRole.GATEWAY_TLS, own.gatewayTls(),
                c + " gateway TLS, as server of its listeners and as client of the peer link", false);
        leaf(folder, "gateway-audit", c, SampleFileRole.GATEWAY_AUDIT, own.gatewayAudit(),
                c + " gateway audit signing (audit checkpoints, exports and archives; never messages)", false);
        Map<String, IssuedCredential> gateway = new LinkedHashMap<>();
        gateway.put("signing", own.gatewaySigning());
        gateway.put("encryption", own.gatewayEncryption());
        gateway.put("tls", own.gatewayTls());
        gateway.put("audit", own.gatewayAudit());
        keystore(folder + "/gateway.p12", c, SampleFileRole.GATEWAY_KEYSTORE, gateway, null,
                c + " gateway keystore: aliases signing, encryption, tls and audit, each key with its full chain");
        truststore(folder + "/truststore-own.p12", c, own,
                "trusts the " + c + " root CA: for the " + c + " gateway's agency and operations listeners");
        truststore(folder + "/truststore-peer.p12", c, peer,
                "trusts the " + c.peer() + " root CA: for the " + c + " gateway's peer listener and envelope signer checks");

        for (Map.Entry<String, IssuedCredential> agency : own.agencies().entrySet()) {
            client(folder, "agency-" + agency.getKey().toLowerCase(Locale.ROOT), c, SampleFileRole.AGENCY_CLIENT,
                    agency.getValue(), agency.getKey() + " agency system: mTLS client of the " + c + " gateway", false);
        }
        client(folder, "operator", c, SampleFileRole.OPERATOR, own.operator(),
                c + " operator: mTLS client of the " + c + " gateway's operations listener", false);
        client(folder, "auditor", c, SampleFileRole.AUDITOR, own.auditor(),
                c + " auditor: mTLS client of the " + c + " gateway's audit API", false);
        client(folder, "agency-" + SampleNames.revokedAgency(c).toLowerCase(Locale.ROOT) + "-revoked", c,
                SampleFileRole.AGENCY_CLIENT, own.revokedAgency(),
                SampleNames.revokedAgency(c) + " agency system, REVOKED on the issuing CA's CRL: must be refused", true);

        String tsaPurpose = c + " sample RFC 3161 time-stamping authority (stamps audit checkpoints; extended key"
                + " usage timeStamping only, critical)";
        leaf(folder, "tsa", c, SampleFileRole.TIME_STAMPING_AUTHORITY, own.timeStampingAuthority(), tsaPurpose, false);
        keystore(folder + "/tsa.p12", c, SampleFileRole.TIME_STAMPING_AUTHORITY, Map.of("tsa", own.timeStampingAuthority()),
                null, "keystore of the " + tsaPurpose + " (alias tsa, key and full chain)");
    }

    private void client(String folder, String base, Country c, SampleFileRole role, IssuedCredential credential,
                        String purpose, boolean revoked) {
        leaf(folder, base, c, role, credential, purpose, revoked);
        keystore(folder + "/" + base + ".p12", c, role, Map.of("client", credential), revoked ? Boolean.TRUE : null,
                "keystore of the " + purpose + " (alias client, key and full chain)");
    }

    /** A leaf's certificate, chain and key files. */
    private void leaf(String folder, String base, Country c, SampleFileRole role, IssuedCredential credential,
                      String purpose, boolean revoked) {
        X509Certificate certificate = credential.certificate();
        Boolean revokedFlag = revoked ? Boolean.TRUE : null;
        String certificatePath = folder + "/" + base + ".pem";
        text(certificatePath, PemEncoding.certificate(certificate), false);
        entries.add(certificateEntry(certificatePath, c, role, purpose, "certificate-pem", certificate, revokedFlag));
        String chainPath = folder + "/" + base + ".chain.pem";
        text(chainPath, PemEncoding.chain(credential.chain()), false);
        entries.add(certificateEntry(chainPath, c, role, purpose + " - chain: leaf, issuing CA, root CA",
                "chain-pem", certificate, revokedFlag));
        String keyPath = folder + "/" + base + ".key.pem";
        text(keyPath, PemEncoding.privateKey(credential.key()), true);
        entries.add(new SampleManifest.Entry(keyPath, c.name(), SampleFileRole.PRIVATE_KEY,
                "private key of " + certificatePath + " (unencrypted PKCS#8, SAMPLE ONLY)", "private-key-pem",
                null, null, null, null, null, certificatePath, null, null, null, null));
    }

    private void certificate(String path, Country c, SampleFileRole role, X509Certificate certificate, String purpose) {
        text(path, PemEncoding.certificate(certificate), false);
        entries.add(certificateEntry(path, c, role, purpose, "certificate-pem", certificate, null));
    }

    private void crl(String path, Country c, X509CRL crl, String purpose) {
        text(path, PemEncoding.crl(crl), false);
        Set<? extends X509CRLEntry> revoked = crl.getRevokedCertificates();
        List<String> serials = revoked == null ? List.of()
                : revoked.stream().map(entry -> hex(entry.getSerialNumber())).sorted().toList();
        byte[] number = crl.getExtensionValue(Extension.cRLNumber.getId());
        entries.add(new SampleManifest.Entry(path, c.name(), SampleFileRole.CRL, purpose, "crl-pem", null,
                crl.getIssuerX500Principal().getName(), null, null, null, null, null,
                number == null ? null : crlNumber(number), crl.getNextUpdate().toInstant().toString(), serials));
    }

    private void keystore(String path, Country c, SampleFileRole role, Map<String, IssuedCredential> byAlias,
                          Boolean revoked, String purpose) {
        file(path, Pkcs12Files.keys(byAlias, password), true);
        X509Certificate first = byAlias.values().iterator().next().certificate();
        boolean single = byAlias.size() == 1;
        entries.add(new SampleManifest.Entry(path, c.name(), role, purpose, "pkcs12",
                first.getSubjectX500Principal().getName(), first.getIssuerX500Principal().getName(),
                single ? hex(first.getSerialNumber()) : null, single ? first.getNotAfter().toInstant().toString() : null,
                revoked, null, List.copyOf(byAlias.keySet()), null, null, null));
    }

    private void truststore(String path, Country c, CountryPki trusted, String purpose) {
        String alias = SampleNames.folder(trusted.country()) + "-root-ca";
        X509Certificate root = trusted.trustAnchor();
        file(path, Pkcs12Files.trusted(Map.of(alias, root), password), false);
        entries.add(new SampleManifest.Entry(path, c.name(), SampleFileRole.TRUSTSTORE, purpose, "pkcs12",
                root.getSubjectX500Principal().getName(), root.getIssuerX500Principal().getName(),
                hex(root.getSerialNumber()), root.getNotAfter().toInstant().toString(), null, null,
                List.of(alias), null, null, null));
    }

    private static SampleManifest.Entry certificateEntry(String path, Country c, SampleFileRole role, String purpose,
                                                         String format, X509Certificate certificate, Boolean revoked) {
        return new SampleManifest.Entry(path, c.name(), role, purpose, format,
                certificate.getSubjectX500Principal().getName(), certificate.getIssuerX500Principal().getName(),
                hex(certificate.getSerialNumber()), certificate.getNotAfter().toInstant().toString(), revoked,
                null, null, null, null, null);
    }

    private static String crlNumber(byte[] extensionValue) {
        byte[] octets = ASN1OctetString.getInstance(extensionValue).getOctets();
        return ASN1Integer.getInstance(octets).getValue().toString();
    }

    /** Upper-case hex padded to whole bytes, exactly as {@code openssl x509 -serial} prints a serial. */
    static String hex(BigInteger serial) {
        String hex = serial.toString(16).toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    private void text(String relative, String content, boolean secret) {
        file(relative, content.getBytes(StandardCharsets.US_ASCII), secret);
    }

    private void file(String relative, byte[] content, boolean secret) {
        Path target = dir.resolve(relative);
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, content);
            // Even sample keys should not be readable by every user of the machine.
            if (secret && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw PkiFailures.configuration("cannot write " + target + " (" + e.getMessage() + ")", e);
        }
    }
}
