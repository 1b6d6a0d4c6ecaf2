package org.puente.routes.api;

import jakarta.ws.rs.core.Response;
import java.util.List;
import org.puente.engine.audit.AuditProofs;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The auditor API's proofs (docs/audit.md, "The Merkle tree" and "Cross-witnessing"): an entry's
 * inclusion in a checkpoint's tree, the consistency of two tree sizes, and this gateway's
 * checkpoints with the peer's cosignatures. HTTP glue over {@link AuditProofs}; auditors only.
 */
public final class ProofHandler {
    private static final int MAX_LIMIT = 1000;

    private final AuditProofs proofs;

    public ProofHandler(AuditProofs proofs) {
        this.proofs = proofs;
    }

    public record CosignedPage(List<AuditProofs.Cosigned> checkpoints, Long next) {
    }

    /** {@code ?seq=N[&treeSize=M]}: without a size, against the first cosigned checkpoint that holds the entry. */
    public Response auditInclusion(ApiRequest r) {
        AuditHandler.requireAuditor(r);
        long seq = required(r, "seq");
        Long size = r.param("treeSize").isPresent() ? AuditHandler.number(r, "treeSize", 0, 1, Long.MAX_VALUE) : null;
        return AuditHandler.json(proofs.inclusion(seq, size));
    }

    /** {@code ?from=A&to=B}: the tree of A entries is a prefix of the tree of B. */
    public Response auditConsistency(ApiRequest r) {
        AuditHandler.requireAuditor(r);
        return AuditHandler.json(proofs.consistency(required(r, "from"), required(r, "to")));
    }

    /** {@code ?after=N&limit=L}: our checkpoints the peer cosigned, with both signatures. */
    public Response auditCosignatures(ApiRequest r) {
        AuditHandler.requireAuditor(r);
        long after = AuditHandler.number(r, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) AuditHandler.number(r, "limit", 100, 1, MAX_LIMIT);
        List<AuditProofs.Cosigned> page = proofs.cosigned(after, limit + 1);
        List<AuditProofs.Cosigned> shown = page.subList(0, Math.min(limit, page.size()));
        return AuditHandler.json(new CosignedPage(shown, page.size() > limit ? shown.get(shown.size() - 1).treeSize() : null));
    }

    private static long required(ApiRequest r, String name) {
        if (r.param(name).isEmpty()) {
            throw new PuenteException(ErrorCode.REQUIRED_FIELD_MISSING, name);
        }
        return AuditHandler.number(r, name, 0, 1, Long.MAX_VALUE);
    }
}
