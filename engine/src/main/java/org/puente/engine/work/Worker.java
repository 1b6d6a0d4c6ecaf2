package org.puente.engine.work;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Performs one kind of work. {@link #perform} does the I/O and the cryptography, outside any
 * unit of work, and returns how each job ended; the {@link WorkRunner} records the outcomes.
 */
public interface Worker {
    WorkKind kind();

    /** Performs a batch of claimed jobs; one outcome per job, in any order. */
    List<Outcome> perform(List<Job> jobs);

    /**
     * The job's time ran out before it was done: the transition to record as it becomes a dead
     * letter (in the unit that buries it). Returns what to do after the commit.
     */
    Runnable expired(Connection c, Job job, Instant now) throws SQLException;
}
