package org.puente.cli.validate;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.puente.cli.exit.ExitCodes;
import org.puente.model.CanonicalJson;
import org.puente.model.error.ErrorMessages;
import org.puente.model.validation.MessageValidator;
import org.puente.model.validation.Problem;
import org.puente.model.validation.ValidationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code puente validate FILE...}: what an agency developer runs before connecting — each file,
 * a submission document as the agency API takes it, checked against the bilateral contract.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks messages against the bilateral contract (catalogue, JSON Schema, domain rules).",
                "Each FILE holds one submission document, as POST /api/v1/messages takes it.",
                "Exit code 1 when any file has an error (warnings do not count)."})
public final class ValidateCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "submission documents to check")
    List<Path> files;

    @Option(names = "--json", description = "machine-readable output: one JSON object per file")
    boolean json;

    @Option(names = "--lang", paramLabel = "en|es", description = "language of the sentences (default: the locale's)")
    String lang;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Locale locale = ErrorMessages.supported(lang == null ? Locale.getDefault() : Locale.forLanguageTag(lang));
        MessageValidator validator = MessageValidator.standard();
        boolean anyError = false;
        for (Path file : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                spec.commandLine().getErr().println(file + ": cannot read: " + e.getMessage());
                anyError = true;
                continue;
            }
            ValidationReport report = validator.validateSubmission(bytes).report();
            anyError |= report.hasErrors();
            if (json) {
                out.println(new String(CanonicalJson.bytes(asJson(file, report, locale)), java.nio.charset.StandardCharsets.UTF_8));
            } else if (report.problems().isEmpty()) {
                out.println(file + ": valid");
            } else {
                for (Problem p : report.problems()) {
                    out.println(file + ": " + (p.isError() ? "ERROR" : "WARNING") + " " + p.code().code() + " "
                            + (p.pointer().isEmpty() ? "/" : p.pointer()) + " " + p.sentence(locale));
                }
                if (!report.hasErrors()) {
                    out.println(file + ": valid (with warnings)");
                }
            }
        }
        out.flush();
        return anyError ? ExitCodes.INVALID : ExitCodes.OK;
    }

    private static Map<String, Object> asJson(Path file, ValidationReport report, Locale locale) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("valid", !report.hasErrors());
        List<Map<String, Object>> problems = new ArrayList<>();
        for (Problem p : report.problems()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("severity", p.severity().name());
            pm.put("code", p.code().code());
            pm.put("pointer", p.pointer());
            pm.put("message", p.sentence(locale));
            problems.add(pm);
        }
        m.put("problems", problems);
        return m;
    }
}
