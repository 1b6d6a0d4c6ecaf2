package org.puente.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.puente.envelope.Surgery.changeOid;
import static org.puente.envelope.Surgery.flip;
import static org.puente.envelope.Surgery.indexOf;
import static org.puente.envelope.Surgery.lastIndexOf;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CertificateSpec;
import org.puente.certs.IssuedCredential;
import org.puente.certs.KeyPurpose;
import org.puente.certs.KeyUsageBit;
import org.puente.certs.PkiProfile;
import org.puente.certs.Revocation;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.keys.RecipientInfoFactory;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;

/**
 * Corrupts one part of an envelope at a time and asserts the exact error code: every byte region
 * of both CMS layers, the PKI situations (revoked, expired, other country, agency certificate, …),
 * replay and clock problems, header changes, truncation, size and random input.
 */
class EnvelopeCorruptionTest {
    private static final Gateways G = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);
    private static final EnvelopeHeader HEADER = Gateways.header();
    private static final byte[] PAYLOAD = "{\"trip\":\"T-CORRUPT-0001\",\"containers\":[\"MSCU1234565\"]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] GOOD = G.usSealer().seal(HEADER, PAYLOAD, G.mxEncryption()).bytes();
    private static final byte[] INNER = Surgery.decrypt(GOOD, G.mxKeys);
    private static final CertificateIssuer ISSUER = new CertificateIssuer();

    record Case(Supplier<byte[]> envelope, Supplier<EnvelopeOpener> opener, EnvelopeHeader routing,
                ErrorCode expected) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refuses_with_the_exact_code(Case c) {
        byte[] envelope = c.envelope().get();
        EnvelopeOpener opener = c.opener().get();
        if (c.expected() == null) {
            assertThat(opener.open(envelope, c.routing()).payload()).isEqualTo(PAYLOAD);
            return;
        }

        assertThatThrownBy(() -> opener.open(envelope, c.routing()))
                .isInstanceOf(PuenteException.class)
                .extracting(e -> ((PuenteException) e).errorCode())
                .isEqualTo(c.expected());
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        all.addAll(outerRegions());
        all.addAll(innerRegions());
        all.addAll(pkiSituations());
        all.addAll(timeAndHeader());
        all.addAll(shapeAndSize());
        return all.stream();
    }

    // ---------------------------------------------------------------- outer layer: AuthEnvelopedData

    private static List<Arguments> outerRegions() {
        AuthEnvelopedData aed = AuthEnvelopedData.getInstance(ContentInfo.getInstance(GOOD).getContent());
        KeyAgreeRecipientInfo kari = KeyAgreeRecipientInfo.getInstance(
                RecipientInfo.getInstance(aed.getRecipientInfos().getObjectAt(0)).getInfo());
        byte[] originatorPoint = kari.getOriginator().getOriginatorKey().getPublicKey().getBytes();
        byte[] wrappedKey = RecipientEncryptedKey.getInstance(kari.getRecipientEncryptedKeys().getObjectAt(0))
                .getEncryptedKey().getOctets();
        byte[] nonce = GCMParameters.getInstance(aed.getAuthEncryptedContentInfo().getContentEncryptionAlgorithm()
                .getParameters()).getNonce();
        byte[] ciphertext = aed.getAuthEncryptedContentInfo().getEncryptedContent().getOctets();
        byte[] mac = aed.getMac().getOctets();
        int ct = indexOf(GOOD, Arrays.copyOf(ciphertext, 32));
        int ctEnd = lastIndexOf(GOOD, Arrays.copyOfRange(ciphertext, ciphertext.length - 16, ciphertext.length)) + 16;
        byte[] recipientSerial = G.mxEncryption().getSerialNumber().toByteArray();
        return List.of(
                outer("outer ContentInfo tag", Surgery.set(GOOD, 0, 0x31), ErrorCode.ENVELOPE_UNREADABLE),
                outer("outer content type authEnvelopedData -> another id-ct", changeOid(GOOD,
                        CMSObjectIdentifiers.authEnvelopedData, 0x19, false), ErrorCode.ENVELOPE_UNREADABLE),
                outer("recipient serial number", flip(GOOD, indexOf(GOOD, recipientSerial) + 5),
                        ErrorCode.ENVELOPE_NOT_FOR_US),
                outer("originator (ephemeral) public key", flip(GOOD, indexOf(GOOD, originatorPoint) + 20),
                        ErrorCode.DECRYPTION_FAILED),
                outer("key agreement scheme sha256kdf -> sha384kdf", changeOid(GOOD,
                        SECObjectIdentifiers.dhSinglePass_stdDH_sha256kdf_scheme, 0x02, false),
                        ErrorCode.UNSUPPORTED_ALGORITHM),
                outer("key wrap aes256-wrap -> aes128-wrap", changeOid(GOOD, NISTObjectIdentifiers.id_aes256_wrap,
                        0x05, false), ErrorCode.UNSUPPORTED_ALGORITHM),
                outer("wrapped content key", flip(GOOD, indexOf(GOOD, wrappedKey) + 7), ErrorCode.DECRYPTION_FAILED),
                outer("content cipher aes256-GCM -> aes128-GCM", changeOid(GOOD, NISTObjectIdentifiers.id_aes256_GCM,
                        0x06, false), ErrorCode.UNSUPPORTED_ALGORITHM),
                outer("GCM nonce", flip(GOOD, indexOf(GOOD, nonce) + 3), ErrorCode.DECRYPTION_FAILED),
                outer("GCM tag length 16 -> 12", Surgery.set(GOOD, indexOf(GOOD, nonce) + nonce.length + 2, 12),
                        ErrorCode.UNSUPPORTED_ALGORITHM),
                outer("first ciphertext byte", flip(GOOD, ct), ErrorCode.DECRYPTION_FAILED),
                outer("middle ciphertext byte", flip(GOOD, (ct + ctEnd) / 2), ErrorCode.DECRYPTION_FAILED),
                outer("last ciphertext byte", flip(GOOD, ctEnd - 1), ErrorCode.DECRYPTION_FAILED),
                outer("authentication tag (MAC)", flip(GOOD, lastIndexOf(GOOD, mac) + 8), ErrorCode.DECRYPTION_FAILED));
    }

    private static Arguments outer(String name, byte[] envelope, ErrorCode expected) {
        return Arguments.of(Named.of("outer: " + name, new Case(() -> envelope, G::mxOpener, HEADER, expected)));
    }

    // ---------------------------------------------------------------- inner layer: SignedData(PuenteMessage)

    private static List<Arguments> innerRegions() {
        SignerInformation si = signerInfo(INNER);
        byte[] signature = si.getSignature();
        byte[] signingTime = encodedSigningTime(si);
        X509Certificate signerCert = G.pki.us().gatewaySigning().certificate();
        byte[] headerJson = org.puente.model.CanonicalJson.bytes(HEADER);
        return List.of(
                inner("re-encrypted unchanged (control: the surgery itself is sound)", INNER, null),
                inner("eContentType Puente message -> receipt", changeOid(INNER, PuenteOids.MESSAGE, 0x02, false),
                        ErrorCode.ENVELOPE_UNREADABLE),
                inner("PuenteMessage version", Surgery.set(INNER, indexOf(INNER, headerJson) - 4, 2),
                        ErrorCode.BAD_SIGNATURE),
                inner("signed header JSON", flip(INNER, indexOf(INNER, headerJson) + 30), ErrorCode.BAD_SIGNATURE),
                inner("payload byte", flip(INNER, indexOf(INNER, PAYLOAD) + 10), ErrorCode.BAD_SIGNATURE),
                inner("signing time attribute", flip(INNER, indexOf(INNER, signingTime) + signingTime.length - 3),
                        ErrorCode.BAD_SIGNATURE),
                inner("signature value", flip(INNER, lastIndexOf(INNER, signature) + 20), ErrorCode.BAD_SIGNATURE),
                inner("signer identifier serial", flip(INNER, lastIndexOf(INNER,
                        signerCert.getSerialNumber().toByteArray()) + 4), ErrorCode.UNKNOWN_SIGNER),
                inner("SignerInfo digest algorithm sha256 -> sha384", signerInfoDigestChanged(signerCert),
                        ErrorCode.UNSUPPORTED_ALGORITHM),
                inner("SignerInfo signature algorithm ecdsa-with-SHA256 -> SHA384", changeOid(INNER,
                        X9ObjectIdentifiers.ecdsa_with_SHA256, 0x03, true), ErrorCode.UNSUPPORTED_ALGORITHM),
                inner("signature on the signer certificate", flip(INNER, indexOf(INNER, signerCert.getSignature()) + 12),
                        ErrorCode.UNTRUSTED_CHAIN),
                inner("signer certificate left out", withoutCertificates(INNER), ErrorCode.UNKNOWN_SIGNER));
    }

    /** The SignerInfo's own digestAlgorithm: the first SHA-256 OID after the signer identifier's serial. */
    private static byte[] signerInfoDigestChanged(X509Certificate signerCert) {
        byte[] sha256 = Surgery.encoded(NISTObjectIdentifiers.id_sha256);
        int at = indexOf(INNER, sha256, lastIndexOf(INNER, signerCert.getSerialNumber().toByteArray()));
        return Surgery.set(INNER, at + sha256.length - 1, 0x02);
    }

    private static Arguments inner(String name, byte[] inner, ErrorCode expected) {
        Supplier<byte[]> envelope = () -> Surgery.encrypt(inner, G.mxEncryption(), G.profile);
        return Arguments.of(Named.of("inner: " + name, new Case(envelope, G::mxOpener, HEADER, expected)));
    }

    private static SignerInformation signerInfo(byte[] inner) {
        try {
            return new CMSSignedData(inner).getSignerInfos().getSigners().iterator().next();
        } catch (org.bouncycastle.cms.CMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encodedSigningTime(SignerInformation si) {
        try {
            return si.getSignedAttributes().get(org.bouncycastle.asn1.cms.CMSAttributes.signingTime).getAttrValues()
                    .getObjectAt(0).toASN1Primitive().getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] withoutCertificates(byte[] inner) {
        try {
            CMSSignedData signed = new CMSSignedData(inner);
            return CMSSignedData.replaceCertificatesAndCRLs(signed, new JcaCertStore(List.of()), null, null)
                    .getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- who signed it

    private static List<Arguments> pkiSituations() {
        IssuedCredential usIssuing = G.pki.us().issuingCa();
        Instant now = Instant.now();
        IssuedCredential revoked = gatewayLike(usIssuing, Gateways.US_NAME, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(30)));
        IssuedCredential expired = gatewayLike(usIssuing, Gateways.US_NAME, now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)));
        IssuedCredential notYet = gatewayLike(usIssuing, Gateways.US_NAME, now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)));
        IssuedCredential otherName = gatewayLike(usIssuing, "gateway.other.puente.sample",
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
        var crlWithRevoked = ISSUER.crl(usIssuing, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(7)),
                BigInteger.valueOf(99), List.of(Revocation.of(revoked.certificate(), now.minus(Duration.ofMinutes(10)),
                        Revocation.Reason.KEY_COMPROMISE)));
        Supplier<EnvelopeOpener> revocationAware = () -> G.mxOpener(SignerTrust.builder()
                .roots(List.of(G.pki.us().trustAnchor())).crls(List.of(crlWithRevoked, G.pki.us().rootCrl()))
                .expectedSignerName(Gateways.US_NAME).build());
        return List.of(
                signedBy("a revoked gateway certificate", revoked, revocationAware, ErrorCode.CERTIFICATE_REVOKED),
                signedBy("an expired gateway certificate", expired, G::mxOpener, ErrorCode.CERTIFICATE_EXPIRED),
                signedBy("a gateway certificate not valid yet", notYet, G::mxOpener, ErrorCode.CERTIFICATE_NOT_YET_VALID),
                signedBy("the wrong country's CA (the MX gateway itself)", G.pki.mx().gatewaySigning(), G::mxOpener,
                        ErrorCode.UNTRUSTED_CHAIN),
                signedBy("a self-signed look-alike", selfSignedLookAlike(), G::mxOpener, ErrorCode.UNTRUSTED_CHAIN),
                signedBy("an agency certificate instead of the gateway's", G.pki.us().agency("CBP"), G::mxOpener,
                        ErrorCode.WRONG_KEY_USAGE),
                signedBy("the gateway's encryption certificate", G.pki.us().gatewayEncryption(), G::mxOpener,
                        ErrorCode.WRONG_KEY_USAGE),
                signedBy("the gateway's TLS certificate", G.pki.us().gatewayTls(), G::mxOpener,
                        ErrorCode.WRONG_KEY_USAGE),
                signedBy("a valid gateway certificate with another name (swapped signer)", otherName, G::mxOpener,
                        ErrorCode.UNEXPECTED_SIGNER_NAME),
                Arguments.of(Named.of("sealed for another recipient (the US gateway's own key)", new Case(
                        () -> G.usSealer().seal(HEADER, PAYLOAD, G.pki.us().gatewayEncryption().certificate()).bytes(),
                        G::mxOpener, HEADER, ErrorCode.ENVELOPE_NOT_FOR_US))));
    }

    private static Arguments signedBy(String name, IssuedCredential signer, Supplier<EnvelopeOpener> opener,
                                      ErrorCode expected) {
        KeyMaterial keys = G.signingWith(signer);
        Supplier<byte[]> envelope = () -> G.sealer(keys, Clock.systemUTC()).seal(HEADER, PAYLOAD, G.mxEncryption())
                .bytes();
        return Arguments.of(Named.of("signed by " + name, new Case(envelope, opener, HEADER, expected)));
    }

    private static IssuedCredential gatewayLike(IssuedCredential issuing, String cn, Instant from, Instant until) {
        KeyPair kp = PkiProfile.EC_P256.generateKeyPair();
        return ISSUER.issue(issuing, CertificateSpec.builder("CN=" + cn + ", OU=Gateway, O=Puente SAMPLE - NOT FOR "
                        + "PRODUCTION, C=US", kp).validity(from, until)
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE, KeyUsageBit.NON_REPUDIATION)
                .extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION).build());
    }

    private static IssuedCredential selfSignedLookAlike() {
        KeyPair kp = PkiProfile.EC_P256.generateKeyPair();
        return ISSUER.selfSign(CertificateSpec.builder(G.pki.us().gatewaySigning().certificate()
                        .getSubjectX500Principal().getName(), kp)
                .keyUsage(KeyUsageBit.DIGITAL_SIGNATURE).extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION).build());
    }

    // ---------------------------------------------------------------- time and header

    private static List<Arguments> timeAndHeader() {
        Clock eightDaysLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(8));
        Clock anHourAhead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        EnvelopeHeader changed = new EnvelopeHeader(HEADER.messageId(), HEADER.correlationId(),
                "targeting.risk-referral", HEADER.schemaVersion(), HEADER.sender(), HEADER.receiver(),
                HEADER.legalBasis(), HEADER.purpose(), HEADER.sensitivity(), HEADER.language(), HEADER.createdAt(),
                HEADER.timeToLive(), HEADER.priority());
        return List.of(
                Arguments.of(Named.of("a replayed envelope signed 8 days ago", new Case(() -> GOOD,
                        () -> G.mxOpener(G.mxTrustBuilder(eightDaysLater).build()), HEADER,
                        ErrorCode.STALE_TIMESTAMP))),
                Arguments.of(Named.of("a signing time an hour in the future", new Case(
                        () -> G.sealer(G.usKeys, anHourAhead).seal(HEADER, PAYLOAD, G.mxEncryption()).bytes(),
                        G::mxOpener, HEADER, ErrorCode.FUTURE_TIMESTAMP))),
                Arguments.of(Named.of("a routing header changed in transit", new Case(() -> GOOD, G::mxOpener, changed,
                        ErrorCode.HEADER_MISMATCH))));
    }

    // ---------------------------------------------------------------- shape and size

    private static List<Arguments> shapeAndSize() {
        byte[] random = new byte[2048];
        new Random(42).nextBytes(random);
        byte[] twoKb = new byte[2000];
        byte[] bigger = G.usSealer().seal(HEADER, twoKb, G.mxEncryption()).bytes();
        Supplier<EnvelopeOpener> smallLimit = () -> new EnvelopeOpener(G.mxKeys, G.mxTrust(), G.profile,
                CryptoProviders.RECOMMENDED, 1000);
        List<Arguments> out = new ArrayList<>(List.of(
                shape("random bytes", random, ErrorCode.ENVELOPE_UNREADABLE),
                shape("empty input", new byte[0], ErrorCode.ENVELOPE_UNREADABLE),
                shape("unauthenticated EnvelopedData (AES-CBC)", envelopedData(), ErrorCode.UNSUPPORTED_ALGORITHM),
                shape("plain SignedData, not encrypted", INNER, ErrorCode.UNSUPPORTED_ALGORITHM),
                Arguments.of(Named.of("larger than the limit (refused before parsing)", new Case(
                        () -> new byte[(int) (1000 + EnvelopeOpener.OVERHEAD_ALLOWANCE + 1)], smallLimit, HEADER,
                        ErrorCode.ENVELOPE_TOO_LARGE))),
                Arguments.of(Named.of("a payload above the limit inside a small envelope", new Case(() -> bigger,
                        smallLimit, HEADER, ErrorCode.ENVELOPE_TOO_LARGE)))));
        for (int cut : new int[] {1, 2, 10, GOOD.length / 3, GOOD.length / 2, GOOD.length - 40, GOOD.length - 1}) {
            out.add(shape("truncated to " + cut + " of " + GOOD.length + " bytes", Arrays.copyOf(GOOD, cut),
                    ErrorCode.ENVELOPE_UNREADABLE));
        }
        return out;
    }

    private static Arguments shape(String name, byte[] envelope, ErrorCode expected) {
        return Arguments.of(Named.of(name, new Case(() -> envelope, G::mxOpener, HEADER, expected)));
    }

    private static byte[] envelopedData() {
        try {
            CMSEnvelopedDataGenerator gen = new CMSEnvelopedDataGenerator();
            gen.addRecipientInfoGenerator(RecipientInfoFactory.forRecipient(G.mxEncryption(), G.profile,
                    CryptoProviders.RECOMMENDED));
            return gen.generate(new CMSProcessableByteArray(INNER), new JceCMSContentEncryptorBuilder(
                    new ASN1ObjectIdentifier("2.16.840.1.101.3.4.1.42")).setProvider(CryptoProviders.bouncyCastle())
                    .build()).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
