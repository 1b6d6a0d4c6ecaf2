package org.puente.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.envelope.crypto.AlgorithmProfile;

/**
 * Random mutations of valid envelopes (fixed seed, so a failure reproduces): the opener must
 * either refuse with a typed error or open exactly the original message. Mutations of both the
 * outer layer (as received) and the inner SignedData (re-encrypted, so the mutation gets past the
 * GCM tag and reaches the signature and PuenteMessage parsers). Some mutations open: they change
 * bytes that carry no meaning for the signed message (e.g. the copy of the root certificate the
 * sender includes, which validation never uses: the root comes from the receiver's trust store);
 * the test then requires the exact original header and payload.
 */
class EnvelopeFuzzTest {
    private static final long SEED = 20261128L;
    private static final int OUTER_CASES = 2000;
    private static final int INNER_CASES = 1000;
    private static final Gateways G = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);

    @Test
    void mutated_envelopes_give_only_typed_errors_or_the_unchanged_message() {
        EnvelopeHeader header = Gateways.header();
        byte[] payload = "{\"trip\":\"T-FUZZ\",\"seals\":[\"A1\",\"B2\"]}".getBytes(StandardCharsets.UTF_8);
        byte[] good = G.usSealer().seal(header, payload, G.mxEncryption()).bytes();
        byte[] inner = Surgery.decrypt(good, G.mxKeys);
        EnvelopeOpener opener = G.mxOpener();
        Random random = new Random(SEED);
        Map<ErrorCode, Integer> seen = new EnumMap<>(ErrorCode.class);
        int opened = 0;

        for (int i = 0; i < OUTER_CASES + INNER_CASES; i++) {
            boolean outer = i < OUTER_CASES;
            byte[] mutated = mutate(outer ? good : inner, random);
            byte[] envelope = outer ? mutated : Surgery.encrypt(mutated, G.mxEncryption(), G.profile);
            try {
                OpenedEnvelope o = opener.open(envelope, header);
                assertThat(o.header()).as("case %d opened with another header", i).isEqualTo(header);
                assertThat(o.payload()).as("case %d opened with another payload", i).isEqualTo(payload);
                opened++;
            } catch (PuenteException e) {
                seen.merge(e.errorCode(), 1, Integer::sum);
            } catch (RuntimeException | Error e) {
                fail("case %d (%s layer) escaped as %s: %s", i, outer ? "outer" : "inner", e.getClass().getName(),
                        e.getMessage());
            }
        }

        System.out.println("fuzz: opened unchanged " + opened + ", refused " + seen);
        assertThat(seen).containsKeys(ErrorCode.ENVELOPE_UNREADABLE, ErrorCode.DECRYPTION_FAILED,
                ErrorCode.BAD_SIGNATURE);
        assertThat(seen.values().stream().mapToInt(Integer::intValue).sum() + opened)
                .isEqualTo(OUTER_CASES + INNER_CASES);
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        switch (random.nextInt(6)) {
            case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            case 2 -> {
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 3 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            case 4 -> {
                int at = random.nextInt(b.length);
                byte[] longer = new byte[b.length + 1];
                System.arraycopy(b, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(256);
                System.arraycopy(b, at, longer, at + 1, b.length - at);
                b = longer;
            }
            default -> {
                // a length byte set to an extreme: exercises the parsers' length handling
                int at = random.nextInt(b.length);
                b[at] = (byte) (random.nextBoolean() ? 0x80 : 0xFF);
            }
        }
        return b;
    }
}
