package org.puente.engine.work;

/** Asks the framework that drives the queue to claim a kind of work now (a commit made some due). */
@FunctionalInterface
public interface WorkWake {
    void wake(WorkKind kind);

    WorkWake NONE = kind -> { };
}
