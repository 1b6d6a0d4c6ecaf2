package org.puente.cli.audit.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The README of an evidence bundle: each file, the commands that check it offline, and what each check proves. */
final class EvidenceReadme {
    private EvidenceReadme() {
    }

    static String text(String messageId, String gateway, String witness, Path dir) throws IOException {
        List<String> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).map(p -> EvidenceBundle.relative(dir, p))
                    .filter(f -> !f.equals(EvidenceBundle.README) && !f.equals(EvidenceBundle.MANIFEST)).sorted().toList();
        }
        StringBuilder b = new StringBuilder();
        b.append("# Evidence for message ").append(messageId).append("\n\n")
                .append("What the audit log of ").append(gateway).append(" records about this message, with what proves\n")
                .append("it: the log's checkpoints are signed by ").append(gateway).append(" (its audit key) and cosigned by\n")
                .append(witness).append(" (the peer's audit key). Nothing here needs either gateway to be trusted:\n")
                .append("only the two countries' root certificates (docs/audit.md, \"Evidence for one message\").\n\n")
                .append("## Files\n\n");
        for (String f : files) {
            b.append("- `").append(f).append("`: ").append(describe(f)).append('\n');
        }
        b.append("- `").append(EvidenceBundle.README).append("`: this file\n");
        b.append("- `").append(EvidenceBundle.MANIFEST).append("`: the SHA-256 of every file above (not signed: it catches damage, not forgery)\n");
        b.append("\n## Checks\n\n")
                .append("All at once, offline (exit 0 VERIFIED, 1 with the first failure):\n\n")
                .append("    puente audit verify-evidence DIR [--trust OWN_ROOT.pem --peer-trust PEER_ROOT.pem --crl CRL.pem...]\n\n")
                .append("Without --trust / --peer-trust it uses the copies in `trust/`. Whoever made this folder could have put\n")
                .append("any root there: to trust neither gateway nor the bundle's maker, give the roots you obtained yourself.\n\n")
                .append("It checks, in this order, printing one line per check:\n\n")
                .append("1. the manifest: every file's SHA-256, and no file left out;\n")
                .append("2. each entry of `entries.jsonl`: its hash recomputes from its fields, and it links to the entry before\n")
                .append("   it (its prevHash) where the two are consecutive in the log;\n")
                .append("3. each checkpoint `checkpoints/N.p7s`: signed by ").append(gateway).append("'s audit key under the own\n")
                .append("   root, for tree size N;\n")
                .append("4. each cosignature `checkpoints/N.cosignature.p7s`: signed by ").append(witness).append("'s audit key\n")
                .append("   under the peer root, for exactly that origin, tree size and root, and for the checkpoint file's SHA-256;\n")
                .append("   a time-stamp `checkpoints/N.tsr`, when present: an RFC 3161 token of a TSA under the own root over the\n")
                .append("   checkpoint file's SHA-256 (it existed at the token's time);\n")
                .append("5. each proof `proofs/SEQ.json`: it is about the entry's hash in `entries.jsonl` and leads (RFC 9162) to\n")
                .append("   the root the checkpoint of its tree size signs: the entry is in the log both gateways signed;\n")
                .append("6. `receipt.p7s`, `delivery-notice.p7s`: signed by ").append(witness).append("'s message key under the peer\n")
                .append("   root and naming this message (the receipt also names an envelope digest an entry records);\n")
                .append("   `our-receipt.p7s`: the same, signed by ").append(gateway).append(" under the own root;\n")
                .append("7. `reconciliation/DAY.sent|answered.PART.report.p7s` and `.answer.p7s`, when the day was reconciled:\n")
                .append("   the report and the answer signed by the two gateways' message keys, and the answer names this message\n")
                .append("   neither missing nor mismatched in any list of the report that holds it.\n\n")
                .append("The same by hand, with OpenSSL 3 and Python 3 alone (from this folder; ROOT files as in `trust/`):\n\n")
                .append("    openssl cms -verify -inform DER -in checkpoints/N.p7s -CAfile trust/own/ROOT.pem -purpose any -out checkpoint-N.json\n")
                .append("    openssl cms -verify -inform DER -in checkpoints/N.cosignature.p7s -CAfile trust/peer/ROOT.pem -purpose any -out cosignature-N.json\n")
                .append("    openssl cms -verify -inform DER -in receipt.p7s -CAfile trust/peer/ROOT.pem -purpose any -out receipt.json\n")
                .append("    openssl cms -verify -inform DER -in delivery-notice.p7s -CAfile trust/peer/ROOT.pem -purpose any -out notice.json\n")
                .append("    openssl cms -verify -inform DER -in our-receipt.p7s -CAfile trust/own/ROOT.pem -purpose any -out our-receipt.json\n")
                .append("    openssl ts -verify -digest $(sha256sum checkpoints/N.p7s | cut -c1-64) -in checkpoints/N.tsr -token_in -CAfile trust/own/ROOT.pem\n")
                .append("    python3 docs/tools/puente_proof.py inclusion proofs/SEQ.json\n\n")
                .append("`openssl cms -verify` proves each signature and its chain to the root and prints the signed JSON;\n")
                .append("it does not check the signer's name or key purpose, nor compare the contents: read in `checkpoint-N.json`\n")
                .append("the `seq` (= N) and `rootHash`, and check that `cosignature-N.json` names the same `treeSize` and\n")
                .append("`rootHash` and that its `checkpointSha256` is `sha256sum checkpoints/N.p7s`. `puente_proof.py` proves that\n")
                .append("the proof's `entryHash` is in the tree with the proof's `rootHash`: check that this is the checkpoint's\n")
                .append("`rootHash` and the `hash` of the entry of that `seq` in `entries.jsonl`. `puente audit verify-evidence`\n")
                .append("does all of that, and recomputes the entries' hashes.\n");
        return b.toString();
    }

    private static String describe(String f) {
        if (f.equals(EvidenceBundle.ENTRIES)) {
            return "the message's audit entries, one JSON line each (export format: every field, seq, prevHash, hash)";
        }
        if (f.startsWith(EvidenceBundle.PROOFS + "/")) {
            return "inclusion proof (RFC 9162) of that entry in a cosigned checkpoint's tree";
        }
        if (f.startsWith(ReconciliationEvidence.DIR + "/")) {
            return f.endsWith(".report.p7s") ? "a daily reconciliation report (DER CMS, RECONCILIATION): sent = ours, answered = the peer's"
                    : "the other side's signed answer to that report (DER CMS, RECONCILIATION)";
        }
        if (f.endsWith(".tsr")) {
            return "RFC 3161 time-stamp token over that checkpoint's SHA-256 (the gateway's TSA)";
        }
        if (f.endsWith(".cosignature.p7s")) {
            return "the peer's cosignature of that checkpoint (DER CMS, AUDIT_COSIGNATURE, peer's audit key)";
        }
        if (f.startsWith(EvidenceBundle.CHECKPOINTS + "/")) {
            return "the gateway's checkpoint of that tree size (DER CMS, AUDIT_CHECKPOINT, its audit key)";
        }
        return switch (f) {
            case EvidenceBundle.RECEIPT -> "the peer's signed receipt of the envelope (DER CMS, RECEIPT)";
            case EvidenceBundle.DELIVERY_NOTICE -> "the peer's signed delivery notice (DER CMS, DELIVERY_NOTICE)";
            case EvidenceBundle.OUR_RECEIPT -> "the receipt this gateway signed for the envelope it received (DER CMS, RECEIPT)";
            default -> f.startsWith(EvidenceBundle.TRUST_OWN) ? "root certificate of the gateway's own country (copy)"
                    : f.startsWith(EvidenceBundle.TRUST_PEER) ? "root certificate of the peer's country (copy)"
                    : f.startsWith(EvidenceBundle.TRUST_CRL) ? "certificate revocation list (copy)" : "";
        };
    }
}
