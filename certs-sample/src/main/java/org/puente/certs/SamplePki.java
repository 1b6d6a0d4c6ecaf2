package org.puente.certs;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

import org.puente.model.Country;

/**
 * A complete SAMPLE PKI for both countries, generated in memory and optionally written to a folder:
 * the entry point of {@code puente pki generate} and of other modules' tests.
 *
 * <p>Never for production: every key is made on the spot, the keystore password is public, and the
 * private keys are also written unencrypted. Real deployments bring their own PKI.
 *
 * @param profile     the key and signature algorithms used throughout
 * @param generatedAt when it was generated (whole seconds); validity periods count from here
 * @param us          the United States half
 * @param mx          the Mexican half
 */
public record SamplePki(PkiProfile profile, Instant generatedAt, CountryPki us, CountryPki mx) {

    /** The documented password of every PKCS#12 file in the checked-in sample set. */
    public static final String SAMPLE_PASSWORD = "puente-sample";

    /** The environment variable through which real deployments give their keystore password. */
    public static final String PASSWORD_ENVIRONMENT_VARIABLE = "PUENTE_KEYSTORE_PASSWORD";

    public SamplePki {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(us, "us");
        Objects.requireNonNull(mx, "mx");
    }

    /**
     * Generates both countries' PKI: 2 CAs, 2 CRLs and 10 leaf certificates each, one of them a
     * time-stamping authority (24 key pairs in all, made in parallel: milliseconds for EC, seconds for RSA-3072).
     */
    public static SamplePki generate(PkiProfile profile, Clock clock) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        CountryPkiFactory factory = new CountryPkiFactory(profile, now, Country.values().length);
        return new SamplePki(profile, now, factory.build(Country.US), factory.build(Country.MX));
    }

    /** Generates with the default profile (EC P-256) at the current time. */
    public static SamplePki generate() {
        return generate(PkiProfile.EC_P256, Clock.systemUTC());
    }

    /**
     * New gateway keys for one country from its issuing CA, valid from {@code now} less the
     * clock skew allowance (like the set itself, whose keys are valid from {@link #generatedAt()}
     * less that allowance): what a key rotation of the sample set puts in the keystore. A peer
     * takes a new encryption certificate only if its notBefore is later than the one in use, so
     * give a {@code now} at least a second after {@link #generatedAt()}. Keyed by
     * keystore alias ({@code signing}, {@code encryption}, {@code tls}, {@code audit}).
     */
    public Map<String, IssuedCredential> renewGatewayKeys(Country country, Instant now) {
        return new CountryPkiFactory(profile, now.truncatedTo(ChronoUnit.SECONDS), 0)
                .gatewayKeys(country, country(country).issuingCa());
    }

    /** A PKCS#12 keystore (the JDK's) with one key entry per alias, each with its chain. */
    public static byte[] keystore(Map<String, IssuedCredential> byAlias, char[] password) {
        return Pkcs12Files.keys(byAlias, password);
    }

    /** A fresh copy of {@link #SAMPLE_PASSWORD}, in the form keystores take. */
    public static char[] samplePassword() {
        return SAMPLE_PASSWORD.toCharArray();
    }

    /** One country's half. */
    public CountryPki country(Country country) {
        return country == Country.US ? us : mx;
    }

    /**
     * Writes the sample set (PEM files, PKCS#12 keystores and truststores, CRLs and
     * {@code manifest.json}) into {@code dir}, creating it if needed and replacing files of the
     * same names; the layout is documented in {@code certs-sample/README.md}.
     *
     * @param password the password of every PKCS#12 file written (not kept)
     * @return the manifest that was written to {@code dir/manifest.json}
     */
    public SampleManifest writeTo(Path dir, char[] password) {
        return new SampleSetWriter(dir, password).write(this);
    }
}
