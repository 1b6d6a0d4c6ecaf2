package org.puente.routes.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import java.time.Duration;
import org.puente.certs.CertificateIssuer;
import org.puente.certs.CertificateSpec;
import org.puente.certs.CountryPki;
import org.puente.certs.KeyPurpose;
import org.puente.certs.KeyUsageBit;
import org.puente.certs.IssuedCredential;
import org.puente.engine.keys.KeyAnnouncements;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementType;
import org.puente.model.CanonicalJson;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.routes.testing.GatewayPair;

/**
 * Issue 16, point 3: what the MX gateway does with announcements of a "new" US encryption
 * certificate that it must not seal to. Each is refused with its own code, audited as a failed
 * {@code PEER_KEY_ADOPTED}, and leaves the certificate in use and table {@code peer_key} as they were.
 */
class KeyAnnouncementRefusalTest {
    private static final String US = "gateway.us.puente.sample";

    @TempDir
    static Path dir;
    static GatewayPair pair;
    static Map<String, IssuedCredential> renewedUs;
    static Map<String, IssuedCredential> olderUs;
    static Map<String, IssuedCredential> renewedMx;
    static Map<String, IssuedCredential> notYetValidUs;
    static IssuedCredential otherName;

    @BeforeAll
    static void start() {
        pair = GatewayPair.start(dir);
        Instant generated = pair.samplePki.generatedAt();
        renewedUs = pair.samplePki.renewGatewayKeys(Country.US, generated.plusSeconds(60));
        olderUs = pair.samplePki.renewGatewayKeys(Country.US, generated.minusSeconds(3600));
        renewedMx = pair.samplePki.renewGatewayKeys(Country.MX, generated.plusSeconds(60));
        notYetValidUs = pair.samplePki.renewGatewayKeys(Country.US, Instant.now().plus(CertificateSpec.CLOCK_SKEW)
                .plus(Duration.ofHours(2)));
        otherName = new CertificateIssuer().issue(pair.samplePki.us().issuingCa(), CertificateSpec.builder(
                        "CN=gateway.xx.puente.sample, OU=Gateway Encryption, O=Puente SAMPLE - NOT FOR PRODUCTION, C=US",
                        pair.samplePki.profile().generateKeyPair())
                .keyUsage(KeyUsageBit.KEY_AGREEMENT).extendedKeyUsage(KeyPurpose.EMAIL_PROTECTION).build());
    }

    @AfterAll
    static void stop() {
        pair.close();
    }

    /** An announcement the peer link could carry, and the code it must get. */
    enum Forgery {
        /** The US message-signing certificate offered as the encryption certificate. */
        SIGNING_CERTIFICATE_AS_ENCRYPTION(ErrorCode.WRONG_KEY_USAGE),
        /** A certificate from the MX CA (not the other country's root, for MX). */
        CERTIFICATE_OF_THE_WRONG_COUNTRY(ErrorCode.UNTRUSTED_CHAIN),
        /** An encryption certificate from the US CA for another name than the US gateway's. */
        CERTIFICATE_FOR_ANOTHER_NAME(ErrorCode.UNEXPECTED_SIGNER_NAME),
        /** A US gateway encryption certificate whose validity starts in two hours. */
        NOT_VALID_YET(ErrorCode.CERTIFICATE_NOT_YET_VALID),
        /** A valid US encryption certificate older than the one in use: a replay or a roll-back. */
        OLDER_THAN_THE_ONE_IN_USE(ErrorCode.STALE_KEY_ANNOUNCEMENT),
        /** A valid new US certificate, but the announcement is signed by a key of the MX PKI. */
        SIGNED_BY_SOMEONE_ELSE(ErrorCode.UNTRUSTED_CHAIN),
        /** A valid new US certificate, signed by the US gateway, naming another gateway. */
        NAMING_ANOTHER_GATEWAY(ErrorCode.ENVELOPE_UNREADABLE);

        final ErrorCode expected;

        Forgery(ErrorCode expected) {
            this.expected = expected;
        }
    }

    @ParameterizedTest
    @EnumSource(Forgery.class)
    void a_bad_announcement_is_refused_with_its_code_audited_and_changes_nothing(Forgery forgery) {
        X509Certificate inUse = pair.mx.gateway().security().peerRecipient().certificate();
        long failedBefore = failedAdoptions(forgery.expected);
        CountryPki us = pair.samplePki.us();
        KeyMaterial usKeys = signer(us.gatewaySigning());
        byte[] cms = switch (forgery) {
            case SIGNING_CERTIFICATE_AS_ENCRYPTION -> announce(usKeys, US, us.gatewaySigning().chain());
            case CERTIFICATE_OF_THE_WRONG_COUNTRY -> announce(usKeys, US, renewedMx.get("encryption").chain());
            case CERTIFICATE_FOR_ANOTHER_NAME -> announce(usKeys, US, otherName.chain());
            case NOT_VALID_YET -> announce(usKeys, US, notYetValidUs.get("encryption").chain());
            case OLDER_THAN_THE_ONE_IN_USE -> announce(usKeys, US, olderUs.get("encryption").chain());
            case SIGNED_BY_SOMEONE_ELSE -> announce(signer(pair.samplePki.mx().gatewaySigning()), US,
                    renewedUs.get("encryption").chain());
            case NAMING_ANOTHER_GATEWAY -> announce(usKeys, "gateway.xx.puente.sample", renewedUs.get("encryption").chain());
        };

        assertThatThrownBy(() -> pair.mx.gateway().keyAnnouncements().receive(cms))
                .isInstanceOfSatisfying(PuenteException.class, e -> assertThat(e.errorCode()).isEqualTo(forgery.expected));
        assertThat(pair.mx.gateway().security().peerRecipient().certificate()).isEqualTo(inUse);
        assertThat(pair.mx.count("SELECT COUNT(*) FROM peer_key")).isZero();
        assertThat(failedAdoptions(forgery.expected)).isEqualTo(failedBefore + 1);
    }

    private static long failedAdoptions(ErrorCode code) {
        return pair.mx.count("SELECT COUNT(*) FROM audit_event WHERE event = 'PEER_KEY_ADOPTED' AND outcome = 'FAILED'"
                + " AND error_code = ?", code.code());
    }

    private static KeyMaterial signer(IssuedCredential signing) {
        return KeyMaterial.builder().signing(signing.key(), signing.chain())
                .encryption(signing.key(), signing.chain()).build();
    }

    private static byte[] announce(KeyMaterial signer, String gateway, List<X509Certificate> chain) {
        return new StatementSigner(signer, AlgorithmProfile.DEFAULT).sign(StatementType.KEY_ANNOUNCEMENT,
                CanonicalJson.bytes(KeyAnnouncements.Announcement.of(gateway, chain, Instant.now())));
    }
}
