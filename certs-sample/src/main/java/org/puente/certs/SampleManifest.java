package org.puente.certs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The {@code manifest.json} of a written sample set: every file, what it is for, and the facts a
 * person checks first (subject, serial, expiry).
 *
 * @param generatedAt when the PKI was generated (ISO-8601 UTC)
 * @param profile     the profile's command-line name, e.g. {@code ec-p256}
 * @param warning     always {@link #WARNING}
 * @param files       every file written, in writing order; paths are relative and use {@code /}
 */
@JsonPropertyOrder({"generatedAt", "profile", "warning", "files"})
public record SampleManifest(String generatedAt, String profile, String warning, List<Entry> files) {
    public static final String WARNING = "SAMPLE - NOT FOR PRODUCTION";
    static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public SampleManifest {
        files = List.copyOf(files);
    }

    /**
     * One file of the sample set. Fields that do not apply to a file's kind are absent from the JSON.
     *
     * @param path           relative path, e.g. {@code us/gateway-signing.pem}
     * @param country        {@code US} or {@code MX}
     * @param role           what the file is for
     * @param purpose        one sentence for people
     * @param format         {@code certificate-pem}, {@code chain-pem}, {@code private-key-pem}, {@code crl-pem} or {@code pkcs12}
     * @param subject        the certificate's subject (RFC 2253), or the trusted root's for a truststore
     * @param issuer         the issuer (RFC 2253) of a certificate or CRL
     * @param serial         the certificate serial in upper-case hex, as {@code openssl x509 -serial} prints it
     * @param notAfter       the certificate's end of validity (ISO-8601 UTC)
     * @param revoked        {@code true} for the certificate that the sample CRL revokes
     * @param belongsTo      for a private key: the path of its certificate
     * @param aliases        for a PKCS#12 file: its aliases
     * @param crlNumber      for a CRL: its CRL number
     * @param nextUpdate     for a CRL: when it must be replaced (ISO-8601 UTC)
     * @param revokedSerials for a CRL: the serials it revokes (upper-case hex)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"path", "country", "role", "purpose", "format", "subject", "issuer", "serial", "notAfter",
            "revoked", "belongsTo", "aliases", "crlNumber", "nextUpdate", "revokedSerials"})
    public record Entry(String path, String country, SampleFileRole role, String purpose, String format,
                        String subject, String issuer, String serial, String notAfter, Boolean revoked,
                        String belongsTo, List<String> aliases, String crlNumber, String nextUpdate,
                        List<String> revokedSerials) {
    }

    /** The manifest as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw PkiFailures.internal("writing manifest.json", e);
        }
    }

    /** Reads a manifest written by {@link SamplePki#writeTo(Path, char[])}. */
    public static SampleManifest read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), SampleManifest.class);
    }
}
