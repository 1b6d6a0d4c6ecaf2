package org.puente.model.validation.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.puente.model.Country;
import org.puente.model.error.ErrorCode;
import org.puente.model.validation.domain.ContainerNumber;
import org.puente.model.validation.domain.CountryCodes;
import org.puente.model.validation.domain.CurrencyCodes;
import org.puente.model.validation.domain.EmployerIdentificationNumber;
import org.puente.model.validation.domain.HsCode;
import org.puente.model.validation.domain.MexicanRfc;
import org.puente.model.validation.domain.PedimentoNumber;
import org.puente.model.validation.domain.PortCode;
import org.puente.model.validation.domain.Scac;
import org.puente.model.validation.domain.UnLocode;

/**
 * Checks of one field shared by the per-type rules. Each takes the object holding the field and
 * that object's pointer, does nothing when the field is absent, not text, or already in error, and
 * reports at most one problem.
 */
final class FieldChecks {
    private FieldChecks() {
    }

    static String text(JsonNode object, String field) {
        JsonNode value = object == null ? null : object.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    static String at(String pointer, String field) {
        return pointer + "/" + field;
    }

    /** Iterates an array member of {@code object}, giving each element and its pointer. */
    static void each(JsonNode object, String field, String pointer, ElementCheck check) {
        JsonNode array = object == null ? null : object.get(field);
        if (array == null || !array.isArray()) {
            return;
        }
        for (int i = 0; i < array.size(); i++) {
            check.apply(array.get(i), at(pointer, field) + "/" + i);
        }
    }

    /** A check applied to one array element. */
    @FunctionalInterface
    interface ElementCheck {
        void apply(JsonNode element, String pointer);
    }

    private static String candidate(RuleContext ctx, JsonNode object, String field, String pointer) {
        String value = text(object, field);
        return value == null || ctx.hasErrorAt(pointer, field) ? null : value;
    }

    static void container(RuleContext ctx, JsonNode object, String field, String pointer) {
        String v = candidate(ctx, object, field, pointer);
        if (v != null && !ContainerNumber.isValid(v)) {
            ctx.error(ErrorCode.INVALID_CONTAINER_NUMBER, at(pointer, field), v, "");
        }
    }

    static void rfc(RuleContext ctx, JsonNode object, String field, String pointer) {
        String v = candidate(ctx, object, field, pointer);
        if (v == null) {
            return;
        }
        switch (MexicanRfc.check(v)) {
            case MALFORMED -> ctx.error(ErrorCode.INVALID_RFC, at(pointer, field), v);
            case CHECK_DIGIT_MISMATCH -> ctx.warning(ErrorCode.RFC_CHECK_DIGIT_MISMATCH, at(pointer, field), v);
            case VALID -> { }
        }
    }

    static void ein(RuleContext ctx, JsonNode object, String field, String pointer) {
        String v = candidate(ctx, object, field, pointer);
        if (v == null) {
            return;
        }
        if (!EmployerIdentificationNumber.isWellFormed(v)) {
            ctx.error(ErrorCode.INVALID_EIN, at(pointer, field), v);
        } else if (!EmployerIdentificationNumber.hasAssignedPrefix(v)) {
            ctx.warning(ErrorCode.EIN_PREFIX_NOT_ASSIGNED, at(pointer, field), v, v.substring(0, 2));
        }
    }

    /** A {@code {scheme, value}} tax identifier: RFC and EIN values are checked, OTHER is free text. */
    static void taxId(RuleContext ctx, JsonNode object, String field, String pointer) {
        JsonNode id = object == null ? null : object.get(field);
        if (id == null) {
            return;
        }
        String scheme = text(id, "scheme");
        if ("RFC".equals(scheme)) {
            rfc(ctx, id, "value", at(pointer, field));
        } else if ("EIN".equals(scheme)) {
            ein(ctx, id, "value", at(pointer, field));
        }
    }

    static void hsCode(RuleContext ctx, JsonNode object, String field, String pointer) {
        String v = candidate(ctx, object, field, pointer);
        if (v != null && !HsCode.isValid(v)) {
            ctx.error(ErrorCode.INVALID_HS_CODE, at(pointer, field), v);
        }
    }

    static void unLocode(RuleContext ctx, JsonNode object, String field, String pointer) {
        String v = candidate(ctx, object, field, pointer);
        if (v != null && !UnLocode.isValid(v)) {
            ctx.error(ErrorCode.INVALID_UNLOCODE, at(pointer, field), v);
        }
    }

    static void country(RuleContext ctx, JsonNode object, String field, String pointer) {
        String v = candidate(ctx, object, field, pointer);
        if (v != null && !CountryCodes.isAssigned(v)) {
            ctx.error(ErrorCode.INVALID_COUNTRY_CODE, at(pointer, field), v);
        }
    }

    /** An array element that must be an assigned country code. */
    static void countryElement(RuleContext ctx, JsonNode value, String pointer) {
        if (value.isTextual() && !ctx.hasErrorAt(pointer) && !CountryCodes.isAssigned(value.asText())) {
            ctx.error(ErrorCode.INVALID_COUNTRY_CODE, pointer, value.asText());
        }
    }

    /** An array element that must be an HS code. */
    static void hsCodeElement(RuleContext ctx, JsonNode value, String pointer) {
        if (value.isTextual() && !ctx.hasErrorAt(pointer) && !HsCode.isValid(value.asText())) {
            ctx.error(ErrorCode.INVALID_HS_CODE, pointer, value.asText());
        }
    }

    static void currency(RuleContext ctx, JsonNode object, String field, String pointer) {
        String v = candidate(ctx, object, field, pointer);
        if (v != null && !CurrencyCodes.isActive(v)) {
            ctx.error(ErrorCode.INVALID_CURRENCY_CODE, at(pointer, field), v);
        }
    }

    static void scac(RuleContext ctx, JsonNode object, String field, String pointer) {
        String v = candidate(ctx, object, field, pointer);
        if (v != null && !Scac.isValid(v)) {
            ctx.error(ErrorCode.INVALID_SCAC, at(pointer, field), v);
        }
    }

    static void pedimento(RuleContext ctx, JsonNode object, String field, String pointer) {
        String v = candidate(ctx, object, field, pointer);
        if (v != null && !PedimentoNumber.isValid(v)) {
            ctx.error(ErrorCode.INVALID_PEDIMENTO, at(pointer, field), v);
        }
    }

    /** A {@code {scheme, value}} reference to a movement: container numbers and pedimentos are checked. */
    static void reference(RuleContext ctx, JsonNode reference, String pointer) {
        String scheme = text(reference, "scheme");
        if ("CONTAINER".equals(scheme)) {
            container(ctx, reference, "value", pointer);
        } else if ("PEDIMENTO".equals(scheme)) {
            pedimento(ctx, reference, "value", pointer);
        }
    }

    /** A number that must be greater than zero (packages, weights, amounts). */
    static void positive(RuleContext ctx, JsonNode object, String field, String pointer) {
        JsonNode v = object == null ? null : object.get(field);
        if (v != null && v.isNumber() && v.decimalValue().signum() <= 0 && !ctx.hasErrorAt(pointer, field)) {
            ctx.error(ErrorCode.NON_POSITIVE_QUANTITY, at(pointer, field), v.asText());
        }
    }

    /**
     * A {@code {country, code}} port or customs office: the code must have its country's form
     * (US: 4 digits; MX: 3 digits).
     */
    static void port(RuleContext ctx, JsonNode port, String pointer) {
        Country country = countryOf(port);
        String code = candidate(ctx, port, "code", pointer);
        if (country == null || code == null || PortCode.isValid(country, code)) {
            return;
        }
        ctx.error(country == Country.US ? ErrorCode.INVALID_US_PORT_CODE : ErrorCode.INVALID_MX_CUSTOMS_OFFICE,
                at(pointer, "code"), code);
    }

    /** Checks a port's form and that it lies in {@code expected}; reports {@code wrongCountry} otherwise. */
    static void portIn(RuleContext ctx, JsonNode port, String pointer, Country expected, ErrorCode wrongCountry) {
        port(ctx, port, pointer);
        Country country = countryOf(port);
        if (country != null && expected != null && country != expected && !ctx.hasErrorAt(pointer, "country")) {
            String code = text(port, "code");
            ctx.error(wrongCountry, at(pointer, "country"), country + (code == null ? "" : " " + code), expected.name());
        }
    }

    static Country countryOf(JsonNode port) {
        String c = text(port, "country");
        return "US".equals(c) ? Country.US : "MX".equals(c) ? Country.MX : null;
    }

    /** {@code from} must not be after {@code to} (both date-times, or both dates). */
    static void window(RuleContext ctx, JsonNode object, String from, String to, String pointer) {
        String a = text(object, from);
        String b = text(object, to);
        if (a == null || b == null || ctx.hasErrorAt(pointer, from) || ctx.hasErrorAt(pointer, to)) {
            return;
        }
        Integer order = compareTimes(a, b);
        if (order != null && order > 0) {
            ctx.error(ErrorCode.INVALID_TIME_WINDOW, at(pointer, to), from, to);
        }
    }

    private static Integer compareTimes(String a, String b) {
        try {
            if (a.length() == 10 && b.length() == 10) {
                return LocalDate.parse(a).compareTo(LocalDate.parse(b));
            }
            return OffsetDateTime.parse(a).toInstant().compareTo(OffsetDateTime.parse(b).toInstant());
        } catch (DateTimeParseException e) {
            return null; // the schema's format check reports it
        }
    }

    /** Reports every listed field that is present, as not allowed under {@code condition}. */
    static void notAllowed(RuleContext ctx, JsonNode object, String pointer, String condition, String... fields) {
        for (String field : fields) {
            if (object != null && object.has(field)) {
                ctx.error(ErrorCode.FIELD_NOT_ALLOWED, at(pointer, field), field, condition);
            }
        }
    }
}
