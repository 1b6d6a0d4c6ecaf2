package org.puente.certs;

import java.util.Objects;

/**
 * One subject alternative name of a certificate: a DNS name, an IP address or an e-mail address.
 *
 * @param kind  which kind of name
 * @param value the name as text ({@code localhost}, {@code 127.0.0.1}, {@code ::1}, {@code ops@example.org})
 */
public record SubjectAltName(Kind kind, String value) {

    /** The general-name kinds the sample PKI uses, with their RFC 5280 tag (also the JDK's list index). */
    public enum Kind {
        EMAIL(1),
        DNS(2),
        IP(7);

        private final int tag;

        Kind(int tag) {
            this.tag = tag;
        }

        /** The GeneralName tag, as in {@code X509Certificate#getSubjectAlternativeNames()}. */
        public int tag() {
            return tag;
        }
    }

    public SubjectAltName {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    public static SubjectAltName dns(String name) {
        return new SubjectAltName(Kind.DNS, name);
    }

    public static SubjectAltName ip(String address) {
        return new SubjectAltName(Kind.IP, address);
    }

    public static SubjectAltName email(String address) {
        return new SubjectAltName(Kind.EMAIL, address);
    }
}
