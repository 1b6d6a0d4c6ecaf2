package org.puente.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.puente.model.EnvelopeHeader;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.envelope.crypto.AlgorithmProfile;

/**
 * Random mutations of valid envelopes: the opener must either refuse with a code the mutated layer
 * can legitimately cause, or open exactly the original message. Mutations of both the outer layer
 * (as received) and the inner SignedData (re-encrypted, so the mutation gets past the GCM tag and
 * reaches the signature and PuenteMessage parsers). The seed is fixed, so every run makes the same
 * kinds of mutation at the same places; the envelope itself is sealed afresh (new IV, ephemeral
 * key and signature), so the counts move a little from run to run and the bounds leave room.
 *
 * <p>Each case ends in one outcome class, counted per layer: refused with an expected code,
 * refused with a code that layer cannot explain, opened unchanged, opened with other content, or
 * escaped as an untyped exception. Only the first and the third are allowed, and refusals must
 * dominate. Some changes do open, and must then give the exact original header and payload: they
 * change bytes that carry no meaning for the signed message. Seen in a run: the copy of the
 * issuing CA's certificate in the SignedData (once the signer's path is validated and cached, the
 * copy is not read again), the trailing end-of-contents octets a streaming parser stops before,
 * and a few framing bytes of the outer structure; about 10% of the inner cases and 1% of the outer
 * ones.
 */
class EnvelopeFuzzTest {
    private static final long SEED = 20261128L;
    private static final int OUTER_CASES = 2000;
    private static final int INNER_CASES = 1000;
    /** Of the outer mutations that change a byte, at most this share may open (unchanged); seen: 0.5-0.9%. */
    private static final double MAX_OUTER_OPENED = 0.02;
    /** Of the inner mutations that change a byte, at most this share may open (unchanged); seen: 8-10%. */
    private static final double MAX_INNER_OPENED = 0.15;
    private static final Gateways G = Gateways.of(AlgorithmProfile.EC_P256_AES256GCM);

    /**
     * What a change to the received bytes can cause before anything is decrypted or after the GCM
     * tag fails: a structure that does not parse, a recipient that is not us, an algorithm that is
     * not the profile's, or content that does not decrypt. Never a signature or certificate code:
     * nothing of the inner layer is read before the tag has verified.
     */
    private static final Set<ErrorCode> OUTER = EnumSet.of(ErrorCode.ENVELOPE_UNREADABLE, ErrorCode.ENVELOPE_NOT_FOR_US,
            ErrorCode.UNSUPPORTED_ALGORITHM, ErrorCode.DECRYPTION_FAILED);
    /**
     * What a change to the signed content can cause once it decrypts: a structure that does not
     * parse, a signer the certificates do not name, an algorithm that is not the profile's, a
     * signature that does not verify, or a certificate that no longer validates: its own signature
     * broken ({@code untrusted_chain}), or a changed validity date, which PKIX checks (and reports)
     * before the certificate's signature ({@code certificate_not_yet_valid},
     * {@code certificate_expired}). Never a decryption code (the content was re-encrypted
     * properly), and never a freshness, key-usage, signer-name or header code: those fields are
     * covered by a signature, so changing them breaks that signature first.
     */
    private static final Set<ErrorCode> INNER = EnumSet.of(ErrorCode.ENVELOPE_UNREADABLE, ErrorCode.UNKNOWN_SIGNER,
            ErrorCode.UNSUPPORTED_ALGORITHM, ErrorCode.BAD_SIGNATURE, ErrorCode.UNTRUSTED_CHAIN,
            ErrorCode.CERTIFICATE_NOT_YET_VALID, ErrorCode.CERTIFICATE_EXPIRED);

    /** The outcome classes of one layer's cases. */
    private static final class Outcomes {
        final String layer;
        final Set<ErrorCode> expected;
        final double maxOpened;
        final Map<ErrorCode, Integer> refused = new EnumMap<>(ErrorCode.class);
        final List<String> refusedUnexpectedly = new ArrayList<>();
        final List<String> openedChanged = new ArrayList<>();
        final List<String> escaped = new ArrayList<>();
        final List<String> unmutatedRefused = new ArrayList<>();
        int changedOpenedUnchanged;
        int changed;
        int unmutated;

        Outcomes(String layer, Set<ErrorCode> expected, double maxOpened) {
            this.layer = layer;
            this.expected = expected;
            this.maxOpened = maxOpened;
        }

        @Override
        public String toString() {
            return layer + ": " + changed + " changed (+" + unmutated + " the mutation left as they were), refused " + refused
                    + ", refused with an unexpected code " + refusedUnexpectedly.size() + ", opened unchanged "
                    + changedOpenedUnchanged + ", opened changed " + openedChanged.size() + ", escaped " + escaped.size();
        }
    }

    @Test
    void every_mutated_envelope_is_refused_with_a_code_of_its_layer_or_opens_to_exactly_the_original() {
        EnvelopeHeader header = Gateways.header();
        byte[] payload = "{\"trip\":\"T-FUZZ\",\"seals\":[\"A1\",\"B2\"]}".getBytes(StandardCharsets.UTF_8);
        byte[] good = G.usSealer().seal(header, payload, G.mxEncryption()).bytes();
        byte[] inner = Surgery.decrypt(good, G.mxKeys);
        EnvelopeOpener opener = G.mxOpener();
        Random random = new Random(SEED);
        Outcomes outer = new Outcomes("outer", OUTER, MAX_OUTER_OPENED);
        Outcomes signed = new Outcomes("inner", INNER, MAX_INNER_OPENED);

        for (int i = 0; i < OUTER_CASES + INNER_CASES; i++) {
            boolean isOuter = i < OUTER_CASES;
            Outcomes o = isOuter ? outer : signed;
            byte[] original = isOuter ? good : inner;
            byte[] mutated = mutate(original, random);
            byte[] envelope = isOuter ? mutated : Surgery.encrypt(mutated, G.mxEncryption(), G.profile);
            boolean changed = !Arrays.equals(mutated, original);
            String where = "case " + i + " (" + o.layer + ", " + original.length + " -> " + mutated.length + " bytes, first change at "
                    + Arrays.mismatch(original, mutated) + ")";
            if (changed) {
                o.changed++;
            } else {
                o.unmutated++;
            }
            try {
                OpenedEnvelope opened = opener.open(envelope, header);
                if (!header.equals(opened.header()) || !Arrays.equals(payload, opened.payload())) {
                    o.openedChanged.add(where + ": " + opened.header() + " " + new String(opened.payload(), StandardCharsets.UTF_8));
                } else if (changed) {
                    o.changedOpenedUnchanged++;
                }
            } catch (PuenteException e) {
                if (!changed) {
                    o.unmutatedRefused.add(where + ": " + e.errorCode().code() + " " + e.getMessage());
                } else if (o.expected.contains(e.errorCode())) {
                    o.refused.merge(e.errorCode(), 1, Integer::sum);
                } else {
                    o.refusedUnexpectedly.add(where + ": " + e.errorCode().code() + " " + e.getMessage());
                }
            } catch (RuntimeException | Error e) {
                o.escaped.add(where + ": " + e.getClass().getName() + ": " + e.getMessage());
            }
        }

        System.out.println("fuzz: " + outer + "; " + signed);
        for (Outcomes o : List.of(outer, signed)) {
            assertThat(o.openedChanged).as("opened with other content, %s", o).isEmpty();
            assertThat(o.escaped).as("escaped as untyped exceptions, %s", o).isEmpty();
            assertThat(o.refusedUnexpectedly).as("refused with a code the %s layer cannot explain, %s", o.layer, o).isEmpty();
            assertThat(o.unmutatedRefused).as("the original refused, %s", o).isEmpty();
            assertThat(o.changedOpenedUnchanged).as("changes that opened (refusals must dominate), %s", o)
                    .isLessThanOrEqualTo((int) (o.maxOpened * o.changed));
        }
        // the mutations reach every stage: the parser and the tag outside; the parser, the chain and the signature inside
        assertThat(outer.refused).as("%s", outer).containsKeys(ErrorCode.ENVELOPE_UNREADABLE, ErrorCode.DECRYPTION_FAILED);
        assertThat(signed.refused).as("%s", signed).containsKeys(ErrorCode.ENVELOPE_UNREADABLE, ErrorCode.UNTRUSTED_CHAIN,
                ErrorCode.BAD_SIGNATURE);
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
