package org.puente.model.validation.domain;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Mexican taxpayer registry code (Registro Federal de Contribuyentes): 3 letters for a company
 * or 4 for a person, a {@code YYMMDD} date, a 2-character homonym key and a check character.
 *
 * <p>A malformed RFC is an error; a check character that does not match the SAT mod-11 algorithm is
 * only a warning, because the algorithm fails on a small share of RFCs that SAT really issued.
 */
public final class MexicanRfc {
    /** The outcome of checking one RFC. */
    public enum Result {
        VALID,
        /** Not 12/13 characters of the right classes, or an impossible date. */
        MALFORMED,
        /** Well-formed, but the check character is not the computed one (a warning). */
        CHECK_DIGIT_MISMATCH
    }

    private static final Pattern SHAPE = Pattern.compile("([A-ZÑ&]{3,4})([0-9]{2})([0-9]{2})([0-9]{2})([A-Z0-9]{2})([0-9A])");
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ";
    /**
     * SAT's generic RFCs (general public; foreign residents) are valid by definition; the one for
     * the general public ends in {@code 0} where the mod-11 algorithm gives {@code 4}.
     */
    private static final Set<String> GENERIC = Set.of("XAXX010101000", "XEXX010101000");

    private MexicanRfc() {
    }

    public static Result check(String rfc) {
        if (rfc == null) {
            return Result.MALFORMED;
        }
        Matcher m = SHAPE.matcher(rfc);
        if (!m.matches() || !plausibleDate(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)))) {
            return Result.MALFORMED;
        }
        if (GENERIC.contains(rfc)) {
            return Result.VALID;
        }
        return checkCharacter(rfc.substring(0, rfc.length() - 1)) == rfc.charAt(rfc.length() - 1)
                ? Result.VALID : Result.CHECK_DIGIT_MISMATCH;
    }

    /** Whether the RFC is of a company (12 characters) rather than a person (13). */
    public static boolean isCompany(String rfc) {
        return rfc != null && rfc.length() == 12;
    }

    /**
     * The SAT check character of an RFC without its last character (11 characters for a company,
     * 12 for a person): each character's value in {@code 0-9 A-N & O-Z space Ñ} is weighted 13 down
     * to 2 (a company RFC is padded with a leading space), the sum is taken modulo 11; remainder 0
     * gives {@code 0}, otherwise {@code 11 - remainder}, with 10 written {@code A}.
     */
    public static char checkCharacter(String withoutCheck) {
        String padded = withoutCheck.length() == 11 ? " " + withoutCheck : withoutCheck;
        if (padded.length() != 12) {
            throw new IllegalArgumentException("11 or 12 characters expected");
        }
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            int value = ALPHABET.indexOf(padded.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException("not an RFC character: " + padded.charAt(i));
            }
            sum += value * (13 - i);
        }
        int remainder = sum % 11;
        if (remainder == 0) {
            return '0';
        }
        int digit = 11 - remainder;
        return digit == 10 ? 'A' : (char) ('0' + digit);
    }

    private static boolean plausibleDate(int yy, int month, int day) {
        if (month < 1 || month > 12 || day < 1) {
            return false;
        }
        // The century is not written: accept 29 February when 19YY or 20YY is a leap year.
        boolean leap = isLeap(1900 + yy) || isLeap(2000 + yy);
        int[] days = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        return day <= days[month - 1];
    }

    private static boolean isLeap(int year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }
}
