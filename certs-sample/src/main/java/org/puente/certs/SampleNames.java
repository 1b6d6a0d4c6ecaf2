package org.puente.certs;

import java.util.List;
import java.util.Locale;

import org.puente.model.Country;

/**
 * The names of the sample PKI (subjects, host names, agencies), in one place so that other modules'
 * tests and configuration refer to them instead of retyping them.
 *
 * <p>Subjects are RFC 2253 strings, most specific first, the way {@code X500Principal#getName()}
 * prints them; their DER encoding runs C, O, OU, CN as is usual.
 */
public final class SampleNames {
    /** The organization of every sample subject: the warning is part of the name on purpose. */
    public static final String ORGANIZATION = "Puente SAMPLE - NOT FOR PRODUCTION";

    private SampleNames() {
    }

    /** {@code us} or {@code mx}: the folder of a country in the sample set. */
    public static String folder(Country country) {
        return country.name().toLowerCase(Locale.ROOT);
    }

    /** The gateway's host name, e.g. {@code gateway.us.puente.sample}. */
    public static String gatewayHost(Country country) {
        return "gateway." + folder(country) + ".puente.sample";
    }

    public static String rootCa(Country country) {
        return "CN=Puente SAMPLE " + country + " Root CA, " + tail(country);
    }

    public static String issuingCa(Country country) {
        return "CN=Puente SAMPLE " + country + " Issuing CA, " + tail(country);
    }

    /** The gateway's message-signing certificate (CMS SignedData). */
    public static String gatewaySigning(Country country) {
        return "CN=" + gatewayHost(country) + ", OU=Gateway, " + tail(country);
    }

    /**
     * The gateway's audit-signing certificate: the same gateway name, its own unit and key, and
     * only the Puente audit purpose (checkpoints, exports, archives; never messages).
     */
    public static String gatewayAudit(Country country) {
        return "CN=" + gatewayHost(country) + ", OU=Gateway Audit, " + tail(country);
    }

    /** The gateway's encryption certificate (CMS recipient). */
    public static String gatewayEncryption(Country country) {
        return "CN=" + gatewayHost(country) + ", OU=Gateway Encryption, " + tail(country);
    }

    /** The gateway's TLS certificate (server and client of the peer link). */
    public static String gatewayTls(Country country) {
        return "CN=" + gatewayHost(country) + ", OU=Gateway TLS, " + tail(country);
    }

    /** The sample time-stamping authority's host name, e.g. {@code tsa.us.puente.sample}. */
    public static String tsaHost(Country country) {
        return "tsa." + folder(country) + ".puente.sample";
    }

    /**
     * The country's sample RFC 3161 time-stamping authority: it stamps audit checkpoints when a
     * gateway is configured with a TSA, and its certificate may do nothing else.
     */
    public static String timeStampingAuthority(Country country) {
        return "CN=" + tsaHost(country) + ", OU=Time-Stamping Authority, " + tail(country);
    }

    /** The agencies that get a client certificate: CBP and ICE-HSI, or ANAM and SAT. */
    public static List<String> agencies(Country country) {
        return country == Country.US ? List.of("CBP", "ICE-HSI") : List.of("ANAM", "SAT");
    }

    /** The agency whose second client certificate is revoked on the sample CRL: CBP or ANAM. */
    public static String revokedAgency(Country country) {
        return agencies(country).get(0);
    }

    public static String agencyClient(Country country, String agency) {
        return "CN=" + agency + " agency system, OU=" + agency + ", " + tail(country);
    }

    public static String revokedAgencyClient(Country country) {
        String agency = revokedAgency(country);
        return "CN=" + agency + " agency system (revoked), OU=" + agency + ", " + tail(country);
    }

    public static String operator(Country country) {
        return "CN=" + country + " operator, OU=Operations, " + tail(country);
    }

    public static String auditor(Country country) {
        return "CN=" + country + " auditor, OU=Audit, " + tail(country);
    }

    private static String tail(Country country) {
        return "O=" + ORGANIZATION + ", C=" + country;
    }
}
