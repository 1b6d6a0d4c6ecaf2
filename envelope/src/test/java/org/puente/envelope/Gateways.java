package org.puente.envelope;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.puente.certs.CountryPki;
import org.puente.certs.IssuedCredential;
import org.puente.certs.SamplePki;
import org.puente.envelope.keys.KeyMaterial;
import org.puente.envelope.receipt.Receipts;
import org.puente.envelope.statement.StatementSigner;
import org.puente.envelope.statement.StatementVerifier;
import org.puente.envelope.trust.SignerTrust;
import org.puente.model.AgencyRef;
import org.puente.model.Country;
import org.puente.model.EnvelopeHeader;
import org.puente.model.Priority;
import org.puente.model.Sensitivity;
import org.puente.envelope.crypto.AlgorithmProfile;
import org.puente.envelope.crypto.CryptoProviders;

/** The two sample gateways wired for tests: the US one sends, the MX one receives. */
public final class Gateways {
    public static final String US_NAME = "gateway.us.puente.sample";
    public static final String MX_NAME = "gateway.mx.puente.sample";

    public final SamplePki pki;
    public final AlgorithmProfile profile;
    public final KeyMaterial usKeys;
    public final KeyMaterial mxKeys;

    public Gateways(AlgorithmProfile profile) {
        this(profile, TestPkis.of(profile));
    }

    private Gateways(AlgorithmProfile profile, SamplePki pki) {
        this(profile, pki, keys(pki.us()), keys(pki.mx()));
    }

    /** Two gateways of {@code pki} with key material built by the caller. */
    public Gateways(AlgorithmProfile profile, SamplePki pki, KeyMaterial usKeys, KeyMaterial mxKeys) {
        this.profile = profile;
        this.pki = pki;
        this.usKeys = usKeys;
        this.mxKeys = mxKeys;
    }

    public static Gateways of(AlgorithmProfile profile) {
        return new Gateways(profile);
    }

    public static KeyMaterial keys(CountryPki c) {
        return KeyMaterial.builder()
                .signing(c.gatewaySigning().key(), c.gatewaySigning().chain())
                .encryption(c.gatewayEncryption().key(), c.gatewayEncryption().chain())
                .tls(c.gatewayTls().key(), c.gatewayTls().chain())
                .build();
    }

    /** Key material whose signing key is another credential (to sign with odd certificates). */
    public KeyMaterial signingWith(IssuedCredential signer) {
        return KeyMaterial.builder()
                .signing(signer.key(), signer.chain())
                .encryption(pki.us().gatewayEncryption().key(), pki.us().gatewayEncryption().chain())
                .build();
    }

    /** What the MX gateway trusts for envelopes from the US gateway. */
    public SignerTrust.Builder mxTrustBuilder(Clock clock) {
        return SignerTrust.builder().roots(java.util.List.of(pki.us().trustAnchor())).crls(pki.us().crls())
                .expectedSignerName(US_NAME).clock(clock);
    }

    public SignerTrust mxTrust() {
        return mxTrustBuilder(Clock.systemUTC()).build();
    }

    /** What the US gateway trusts for receipts from the MX gateway. */
    public SignerTrust usTrust() {
        return SignerTrust.builder().roots(java.util.List.of(pki.mx().trustAnchor())).crls(pki.mx().crls())
                .expectedSignerName(MX_NAME).build();
    }

    public EnvelopeSealer usSealer() {
        return new EnvelopeSealer(usKeys, profile);
    }

    public EnvelopeSealer sealer(KeyMaterial keys, Clock clock) {
        return new EnvelopeSealer(keys, profile, CryptoProviders.RECOMMENDED, clock);
    }

    public EnvelopeOpener mxOpener() {
        return new EnvelopeOpener(mxKeys, mxTrust(), profile);
    }

    public EnvelopeOpener mxOpener(SignerTrust trust) {
        return new EnvelopeOpener(mxKeys, trust, profile);
    }

    public java.security.cert.X509Certificate mxEncryption() {
        return pki.mx().gatewayEncryption().certificate();
    }

    public Receipts mxReceipts() {
        return new Receipts(new StatementSigner(mxKeys, profile), new StatementVerifier(profile), mxTrust(),
                Clock.systemUTC());
    }

    public Receipts usReceipts() {
        return new Receipts(new StatementSigner(usKeys, profile), new StatementVerifier(profile), usTrust(),
                Clock.systemUTC());
    }

    public static EnvelopeHeader header() {
        return header(UUID.randomUUID());
    }

    public static EnvelopeHeader header(UUID id) {
        return new EnvelopeHeader(id, id.toString(), "cargo.manifest", "1.0", new AgencyRef(Country.US, "CBP"),
                new AgencyRef(Country.MX, "ANAM"), "CMAA-2000", "risk-assessment", Sensitivity.COMMERCIAL_CONFIDENTIAL,
                "en", Instant.now().truncatedTo(ChronoUnit.MILLIS), Duration.ofHours(24), Priority.NORMAL);
    }
}
