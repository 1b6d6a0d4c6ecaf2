package org.puente.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SigningTimesTest {
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-29T02:49:07Z", "1950-01-01T00:00:00Z", "2049-12-31T23:59:59Z"})
    void writes_utc_time_from_1950_to_2049_and_reads_it_back(String at) throws Exception {
        Instant instant = Instant.parse(at);
        var encoded = SigningTimes.encode(instant);
        assertThat(encoded).isInstanceOf(ASN1UTCTime.class);
        assertThat(((ASN1UTCTime) encoded).getAdjustedDate().toInstant()).isEqualTo(instant); // Bouncy Castle agrees
        assertThat(SigningTimes.decode(encoded)).isEqualTo(instant);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2050-01-01T00:00:00Z", "1949-12-31T23:59:59Z", "2107-03-04T05:06:07Z"})
    void writes_generalized_time_outside_those_years(String at) throws Exception {
        Instant instant = Instant.parse(at);
        var encoded = SigningTimes.encode(instant);
        assertThat(encoded).isInstanceOf(ASN1GeneralizedTime.class);
        assertThat(((ASN1GeneralizedTime) encoded).getDate().toInstant()).isEqualTo(instant);
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
