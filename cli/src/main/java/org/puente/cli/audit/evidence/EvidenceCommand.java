package org.puente.cli.audit.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.puente.audit.AuditEntry;
import org.puente.audit.export.ExportFormat;
import org.puente.cli.agency.AgencyConnection;
import org.puente.cli.envelope.KeystorePassword;
import org.puente.cli.exit.ExitCodes;
import org.puente.model.CanonicalJson;
import org.puente.model.error.PuenteException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code puente audit evidence MESSAGE-ID}: asks one gateway's auditor API for everything that
 * proves what happened to one message there, and writes it as a folder that
 * {@code puente audit verify-evidence}, {@code openssl cms} and {@code docs/tools/puente_proof.py}
 * check offline, trusting neither gateway (docs/audit.md, "Evidence for one message").
 *
 * <p>Implementation note: each entry is proven against the first checkpoint the peer cosigned
 * that covers it (what the gateway serves without a tree size), so the proof rests on two
 * signatures by two countries' audit keys. An entry no cosigned checkpoint covers yet is refused
 * rather than proven against an uncosigned checkpoint, which the gateway alone could have signed
 * over a rewritten log.
 */
@Command(name = "evidence", mixinStandardHelpOptions = true,
        description = {"Write the evidence for one message on one gateway: its audit entries, their inclusion proofs,",
                "the checkpoints the peer cosigned, the peer's cosignatures, the signed receipt and delivery notice,",
                "the trust roots given and a README with the commands that check it all offline.",
                "Exit code 0: written; 1: not (yet) provable, e.g. not yet witnessed by the peer; 2: usage error."})
public final class EvidenceCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MESSAGE-ID")
    UUID messageId;

    @Option(names = "--gateway", required = true, paramLabel = "URL",
            description = "The gateway's operations listener, e.g. https://localhost:7443")
    URI gateway;

    @Option(names = "--cert", required = true, paramLabel = "AUDITOR.p12", description = "Your auditor client certificate and key.")
    Path cert;

    @Option(names = "--ca", required = true, paramLabel = "ROOT.pem", description = "Root CA that issued the gateway's TLS certificate.")
    Path ca;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write (new, or empty).")
    Path out;

    @Option(names = "--trust", arity = "1..*", paramLabel = "OWN_ROOT.pem",
            description = "Root CA(s) of the gateway's own country, copied into DIR/trust/own.")
    List<Path> trust = List.of();

    @Option(names = "--peer-trust", arity = "1..*", paramLabel = "PEER_ROOT.pem",
            description = "Root CA(s) of the peer gateway's country, copied into DIR/trust/peer.")
    List<Path> peerTrust = List.of();

    @Option(names = "--crl", arity = "1..*", paramLabel = "CRL.pem", description = "CRLs of both countries' CAs, copied into DIR/trust/crl.")
    List<Path> crls = List.of();

    @Mixin
    KeystorePassword password = new KeystorePassword();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Why no bundle can be written; the message is the one line the auditor reads. */
    static final class NotProvable extends Exception {
        NotProvable(String message) {
            super(message);
        }
    }

    /** What the gateway served: entries, a proof per entry, and per tree size the checkpoint and its cosignature. */
    private record Served(String gatewayName, String witness, List<AuditEntry> entries, Map<Long, JsonNode> proofs,
                          Map<Long, JsonNode> cosigned, JsonNode story) {
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter w = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            requireEmpty(out);
            AuditorApi api = new AuditorApi(gateway, AgencyConnection.sslContext(cert, password.read(cert), ca));
            Served s = fetch(api);
            write(s, api);
            w.printf("evidence for message %s on %s: %d entries, %d proofs, %d cosigned checkpoint(s) (witness %s)%s%n",
                    messageId, s.gatewayName(), s.entries().size(), s.proofs().size(), s.cosigned().size(), s.witness(),
                    signedProofs(s.story()));
            w.printf("wrote %s; check it with: puente audit verify-evidence %s%n", out, out);
            if (trust.isEmpty() || peerTrust.isEmpty()) {
                w.println("note: without --trust and --peer-trust the bundle holds no roots: verify-evidence then needs them given");
            }
            return ExitCodes.OK;
        } catch (NotProvable e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (PuenteException e) {
            err.println("error " + e.errorCode().code() + ": " + e.sentence(Locale.ENGLISH));
            return ExitCodes.INVALID;
        }
    }

    private Served fetch(AuditorApi api) throws IOException, InterruptedException, NotProvable {
        AuditorApi.Answer head = api.get("/audit/v1/head");
        if (!head.ok()) {
            throw new NotProvable("the gateway's audit head: " + head.error());
        }
        AuditorApi.Answer story = api.get("/audit/v1/messages/" + messageId);
        if (!story.ok() || story.body().path("entries").isEmpty()) {
            throw new NotProvable("no audit entry about message " + messageId + " on this gateway"
                    + (story.ok() ? "" : " (" + story.error() + ")"));
        }
        List<AuditEntry> entries = new ArrayList<>();
        story.body().path("entries").forEach(n -> entries.add(ExportFormat.entry(n)));
        Map<Long, JsonNode> proofs = new TreeMap<>();
        for (AuditEntry e : entries) {
            AuditorApi.Answer proof = api.get("/audit/v1/proofs/inclusion?seq=" + e.seq());
            if (proof.status() == 404 && "not_found".equals(proof.body().path("code").asText())) {
                throw new NotProvable("entry " + e.seq() + " (" + e.event().event() + ") of message " + messageId
                        + " is not yet witnessed by the peer; retry after the next checkpoint");
            }
            if (!proof.ok()) {
                throw new NotProvable("inclusion proof of entry " + e.seq() + ": " + proof.error());
            }
            proofs.put(e.seq(), proof.body());
        }
        Map<Long, JsonNode> cosigned = new TreeMap<>();
        String witness = null;
        for (JsonNode p : proofs.values()) {
            long size = p.path("treeSize").asLong();
            if (!cosigned.containsKey(size)) {
                JsonNode cp = api.get("/audit/v1/cosignatures?after=" + (size - 1) + "&limit=1").body().path("checkpoints").path(0);
                if (cp.path("treeSize").asLong() != size || !cp.path("checkpoint").isTextual() || !cp.path("cosignature").isTextual()) {
                    throw new NotProvable("the gateway serves no cosigned checkpoint of tree size " + size
                            + " (removed by retention?)");
                }
                cosigned.put(size, cp);
                witness = cp.path("witness").asText();
            }
        }
        return new Served(head.body().path("gateway").asText(), witness, entries, proofs, cosigned, story.body());
    }

    private void write(Served s, AuditorApi api) throws IOException, InterruptedException {
        Files.createDirectories(out);
        StringBuilder lines = new StringBuilder();
        s.entries().forEach(e -> lines.append(new String(ExportFormat.line(ExportFormat.entryLine(e)), java.nio.charset.StandardCharsets.UTF_8)));
        Files.writeString(out.resolve(EvidenceBundle.ENTRIES), lines);
        Files.createDirectories(out.resolve(EvidenceBundle.PROOFS));
        for (Map.Entry<Long, JsonNode> p : s.proofs().entrySet()) {
            Map<String, Object> proof = new LinkedHashMap<>();
            for (String field : List.of("seq", "entryHash", "treeSize", "rootHash", "path")) {
                proof.put(field, p.getValue().get(field));
            }
            Files.write(out.resolve(EvidenceBundle.proof(p.getKey())), CanonicalJson.bytes(proof));
        }
        Files.createDirectories(out.resolve(EvidenceBundle.CHECKPOINTS));
        for (Map.Entry<Long, JsonNode> c : s.cosigned().entrySet()) {
            Files.write(out.resolve(EvidenceBundle.checkpoint(c.getKey())), base64(c.getValue(), "checkpoint"));
            Files.write(out.resolve(EvidenceBundle.cosignature(c.getKey())), base64(c.getValue(), "cosignature"));
            if (c.getValue().path("timestamp").isTextual()) {
                Files.write(out.resolve(EvidenceBundle.timestamp(c.getKey())), base64(c.getValue(), "timestamp"));
            }
        }
        writeIfPresent(s.story(), "receipt", EvidenceBundle.RECEIPT);
        writeIfPresent(s.story(), "deliveryNotice", EvidenceBundle.DELIVERY_NOTICE);
        writeIfPresent(s.story(), "ourReceipt", EvidenceBundle.OUR_RECEIPT);
        ReconciliationEvidence.fetch(api, s.entries(), out);
        copyAll(trust, EvidenceBundle.TRUST_OWN);
        copyAll(peerTrust, EvidenceBundle.TRUST_PEER);
        copyAll(crls, EvidenceBundle.TRUST_CRL);
        Files.writeString(out.resolve(EvidenceBundle.README), EvidenceReadme.text(messageId.toString(), s.gatewayName(),
                s.witness(), out));
        EvidenceBundle.writeManifest(out, messageId.toString(), s.gatewayName(), s.witness(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    private void writeIfPresent(JsonNode story, String field, String file) throws IOException {
        if (story.path(field).isTextual()) {
            Files.write(out.resolve(file), base64(story, field));
        }
    }

    private void copyAll(List<Path> files, String folder) throws IOException {
        if (files.isEmpty()) {
            return;
        }
        Path dir = Files.createDirectories(out.resolve(folder));
        int n = 0;
        for (Path f : files) {
            n++;
            Path target = dir.resolve(f.getFileName().toString());
            Files.copy(f, Files.exists(target) ? dir.resolve(n + "-" + f.getFileName()) : target);
        }
    }

    private static byte[] base64(JsonNode node, String field) {
        return Base64.getDecoder().decode(node.path(field).asText());
    }

    private static String signedProofs(JsonNode story) {
        List<String> held = new ArrayList<>();
        for (String f : List.of("receipt", "deliveryNotice", "ourReceipt")) {
            if (story.path(f).isTextual()) {
                held.add(f);
            }
        }
        return held.isEmpty() ? "" : ", " + String.join(", ", held);
    }

    private static void requireEmpty(Path dir) throws NotProvable, IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new NotProvable(dir + " is not empty: give a new folder (the manifest lists every file in it)");
                }
            }
        } else if (Files.exists(dir)) {
            throw new NotProvable(dir + " is a file, not a folder");
        }
    }
}
