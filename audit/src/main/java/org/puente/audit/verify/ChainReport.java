package org.puente.audit.verify;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of verifying an audit log (live table, export or archive): what was proved, and the
 * first break if any.
 *
 * @param firstSeq            first position checked (0 when there was no entry)
 * @param lastSeq             last position checked
 * @param lastHash            hash of the last entry checked
 * @param entries             entries checked
 * @param checkpoints         checkpoints whose signature and hash were checked
 * @param latestCheckpointSeq position of the latest verified checkpoint (0 if none)
 * @param latestCheckpointAt  when that checkpoint was signed
 * @param notes               what the auditor should know besides the result (e.g. archived entries)
 */
public record ChainReport(long firstSeq, long lastSeq, String lastHash, long entries, int checkpoints,
                          long latestCheckpointSeq, Instant latestCheckpointAt, Optional<ChainBreak> firstBreak,
                          List<String> notes) {

    public boolean intact() {
        return firstBreak.isEmpty();
    }
}
