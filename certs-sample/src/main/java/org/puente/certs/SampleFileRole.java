package org.puente.certs;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a file of the sample set is for, as {@code manifest.json} names it. */
public enum SampleFileRole {
    ROOT_CA("root-ca"),
    ISSUING_CA("issuing-ca"),
    CRL("crl"),
    GATEWAY_SIGNING("gateway-signing"),
    GATEWAY_ENCRYPTION("gateway-encryption"),
    GATEWAY_TLS("gateway-tls"),
    GATEWAY_AUDIT("gateway-audit"),
    GATEWAY_KEYSTORE("gateway-keystore"),
    TRUSTSTORE("truststore"),
    AGENCY_CLIENT("agency-client"),
    OPERATOR("operator"),
    AUDITOR("auditor"),
    /** The sample RFC 3161 time-stamping authority (certificate, chain, key and keystore). */
    TIME_STAMPING_AUTHORITY("time-stamping-authority"),
    PRIVATE_KEY("private-key");

    private final String manifestName;

    SampleFileRole(String manifestName) {
        this.manifestName = manifestName;
    }

    /** The role as written in {@code manifest.json}, e.g. {@code gateway-signing}. */
    @JsonValue
    public String manifestName() {
        return manifestName;
    }
}
