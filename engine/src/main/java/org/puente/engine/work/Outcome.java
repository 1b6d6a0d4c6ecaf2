package org.puente.engine.work;

import java.sql.Connection;
import java.sql.SQLException;
import org.puente.model.error.ErrorCode;

/**
 * How one job ended, as its worker reports it. The queue records it in one unit of work with
 * the transition the worker asks for ({@code record}), so the job's end and the state it
 * produced commit together.
 */
public sealed interface Outcome {
    Job job();

    /** The worker's part of the unit; returns what to do once it is committed (metrics, logs). */
    Record record();

    /** The worker's part of the unit of work that records an outcome. */
    @FunctionalInterface
    interface Record {
        Runnable write(Connection c) throws SQLException;

        Record NOTHING = c -> () -> { };
    }

    /** Done: the job leaves the queue. */
    record Done(Job job, Record record) implements Outcome {
    }

    /** A failure of the road: tried again after a backoff, until the job expires. */
    record Retry(Job job, ErrorCode code, String detail, Record record) implements Outcome {
    }

    /** A failure that trying again cannot fix (a signed refusal): the job leaves the queue. */
    record Failed(Job job, ErrorCode code, String detail, Record record) implements Outcome {
    }

    static Done done(Job job, Record record) {
        return new Done(job, record);
    }

    static Retry retry(Job job, ErrorCode code, String detail) {
        return new Retry(job, code, detail, Record.NOTHING);
    }
}
