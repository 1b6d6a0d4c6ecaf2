package org.puente.envelope.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Time;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SigningTimesTest {
    /** UTCTime from 1950 to 2049, GeneralizedTime outside (RFC 5652 11.3); Bouncy Castle reads back the same instant. */
    @ParameterizedTest
    @CsvSource({"2026-11-29T02:49:07Z, true", "1950-01-01T00:00:00Z, true", "2049-12-31T23:59:59Z, true",
            "2050-01-01T00:00:00Z, false", "1949-12-31T23:59:59Z, false", "2107-03-04T05:06:07Z, false"})
    void writes_the_time_type_of_its_year_and_reads_it_back(String at, boolean utcTime) {
        Instant instant = Instant.parse(at);
        var encoded = SigningTimes.encode(instant);
        assertThat(encoded).isInstanceOf(utcTime ? ASN1UTCTime.class : ASN1GeneralizedTime.class);
        assertThat(Time.getInstance(encoded).getDate().toInstant()).isEqualTo(instant);
        assertThat(SigningTimes.decode(encoded)).isEqualTo(instant);
    }

    @Test
    void leaves_forms_other_than_der_to_bouncy_castle() {
        // no seconds, and an offset instead of Z: valid BER UTCTime, not DER
        assertThat(SigningTimes.decode(new ASN1UTCTime("2611290249Z"))).isEqualTo(Instant.parse("2026-11-29T02:49:00Z"));
        assertThat(SigningTimes.decode(new ASN1UTCTime("261129024907+0100")))
                .isEqualTo(Instant.parse("2026-11-29T01:49:07Z"));
        assertThat(SigningTimes.decode(new ASN1GeneralizedTime("20261129024907.25Z")))
                .isEqualTo(Instant.parse("2026-11-29T02:49:07.250Z"));
    }

    @Test
    void refuses_what_is_not_a_valid_time() {
        assertThatThrownBy(() -> SigningTimes.decode(ASN1UTCTime.getInstance(der(0x17, "261329024907Z"))))
                .isInstanceOf(IllegalArgumentException.class); // month 13
        assertThatThrownBy(() -> SigningTimes.decode(new ASN1Integer(7))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigningTimes.decode(new DERUTF8String("261129024907Z")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] der(int tag, String text) {
        byte[] t = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[t.length + 2];
        out[0] = (byte) tag;
        out[1] = (byte) t.length;
        System.arraycopy(t, 0, out, 2, t.length);
        return out;
    }
}
