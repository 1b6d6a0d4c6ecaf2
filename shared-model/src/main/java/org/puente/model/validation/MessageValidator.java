package org.puente.model.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.puente.model.AgencyRef;
import org.puente.model.CanonicalJson;
import org.puente.model.EnvelopeHeader;
import org.puente.model.catalogue.MessageCatalogue;
import org.puente.model.catalogue.MessageTypeDefinition;
import org.puente.model.catalogue.SchemaVersion;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;
import org.puente.model.schema.SchemaCompiler;
import org.puente.model.submission.Submission;
import org.puente.model.submission.SubmissionParser;
import org.puente.model.submission.SubmissionParser.ParsedDocument;
import org.puente.model.validation.rules.PayloadRules;

/**
 * The one entry point that checks a message against the bilateral contract, for a submission from
 * an agency and for a message received from the peer gateway.
 *
 * <p>Order of the checks: JSON well-formedness (a malformed document stops there), the
 * submission's own schema, the catalogue (type, version, agencies, route, legal basis, purpose,
 * sensitivity, time-to-live), the payload's schema, then the domain and cross-field rules. Every
 * problem found is reported at once; a field in error is not reported again by a later check.
 *
 * <p>Thread-safe; every schema is compiled once, when the validator is built.
 */
public final class MessageValidator {
    private static final String SUBMISSION_SCHEMA = MessageCatalogue.BASE + "schemas/submission.schema.json";

    private final MessageCatalogue catalogue;
    private final CatalogueChecks catalogueChecks;
    private final JsonSchema submissionSchema;
    private final Map<String, JsonSchema> payloadSchemas;

    private static final class Standard {
        static final MessageValidator INSTANCE = new MessageValidator(MessageCatalogue.standard());
    }

    /**
     * A validator for a catalogue; compiles the submission schema and every payload schema.
     *
     * @throws PuenteException {@code configuration_invalid} when a schema does not compile
     */
    public MessageValidator(MessageCatalogue catalogue) {
        this.catalogue = catalogue;
        this.catalogueChecks = new CatalogueChecks(catalogue);
        this.submissionSchema = SchemaCompiler.compile(readResource(SUBMISSION_SCHEMA), "submission.schema.json");
        Map<String, JsonSchema> schemas = new HashMap<>();
        for (MessageTypeDefinition type : catalogue.types()) {
            for (SchemaVersion version : type.schemaVersions()) {
                JsonNode doc = catalogue.schemaDocument(type.type(), version.version())
                        .orElseThrow(() -> new PuenteException(ErrorCode.CONFIGURATION_INVALID, "no schema for " + type.type()));
                schemas.put(key(type.type(), version.version()), SchemaCompiler.compile(doc, version.resource()));
            }
        }
        this.payloadSchemas = Map.copyOf(schemas);
    }

    /** The validator of the built-in catalogue (built once). */
    public static MessageValidator standard() {
        return Standard.INSTANCE;
    }

    public MessageCatalogue catalogue() {
        return catalogue;
    }

    /** Checks a submission document (see the class comment for the order of the checks). */
    public SubmissionCheck validateSubmission(byte[] submissionJson) {
        return validateSubmission(submissionJson, null);
    }

    /**
     * Checks a submission document and that it names as sender the agency that authenticated
     * ({@code sender_mismatch} otherwise).
     *
     * @param authenticatedSender the agency of the client certificate, or null to skip that check
     */
    public SubmissionCheck validateSubmission(byte[] submissionJson, AgencyRef authenticatedSender) {
        ProblemCollector problems = new ProblemCollector();
        ParsedDocument document;
        try {
            document = SubmissionParser.parse(submissionJson);
        } catch (PuenteException e) {
            problems.error(ErrorCode.MALFORMED_JSON, "", detail(e));
            return new SubmissionCheck(problems.report(), null);
        }
        JsonNode root = document.root();
        SchemaProblems.map(submissionSchema.validate(root), "").forEach(problems::add);
        if (root.isObject()) {
            HeaderView header = HeaderReader.fromSubmission(root, problems);
            Optional<SchemaVersion> version = catalogueChecks.check(header, authenticatedSender, problems);
            JsonNode payload = root.get("payload");
            if (version.isPresent() && payload != null && payload.isObject()) {
                checkPayload(payload, header, problems);
            }
        }
        Submission submission = problems.hasErrors() ? null : SubmissionParser.toSubmission(submissionJson, document);
        return new SubmissionCheck(problems.report(), submission);
    }

    /**
     * Checks a message received from the peer gateway: its header against the catalogue, and its
     * payload against the schema and rules. Payload pointers are prefixed {@code /payload}.
     */
    public ValidationReport validateMessage(EnvelopeHeader header, byte[] payload) {
        ProblemCollector problems = new ProblemCollector();
        HeaderView view = HeaderReader.fromEnvelope(header, problems);
        Optional<SchemaVersion> version = catalogueChecks.check(view, null, problems);
        JsonNode tree;
        try {
            tree = CanonicalJson.mapper().readTree(payload);
        } catch (IOException e) {
            problems.error(ErrorCode.MALFORMED_JSON, "/payload", String.valueOf(e.getMessage()).split("\n")[0]);
            return problems.report();
        }
        if (tree == null || !tree.isObject()) {
            problems.error(ErrorCode.WRONG_TYPE, "/payload", "object");
            return problems.report();
        }
        if (version.isPresent()) {
            checkPayload(tree, view, problems);
        }
        return problems.report();
    }

    private void checkPayload(JsonNode payload, HeaderView header, ProblemCollector problems) {
        JsonSchema schema = payloadSchemas.get(key(header.messageType(), header.schemaVersion()));
        SchemaProblems.map(schema.validate(payload), "/payload").forEach(problems::add);
        PayloadRules.forType(header.messageType()).check(new PayloadRuleContext(payload, header, problems));
    }

    private static String key(String type, String version) {
        return type + "@" + version;
    }

    private static String detail(PuenteException e) {
        return e.args().isEmpty() ? "" : String.valueOf(e.args().get(0));
    }

    private static JsonNode readResource(String resource) {
        try (InputStream in = MessageValidator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new PuenteException(ErrorCode.CONFIGURATION_INVALID, "resource missing: " + resource);
            }
            return CanonicalJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
