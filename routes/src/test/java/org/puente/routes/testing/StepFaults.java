package org.puente.routes.testing;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.Processor;

/**
 * One-shot failures for route steps: a test weaves {@link #at(String)} in front of a step once,
 * then arms a failure with {@link #next(String, RuntimeException)}; the next exchange that reaches
 * the step throws it, and later exchanges pass as if nothing had been woven. So one started
 * gateway serves many error-handling tests.
 */
public final class StepFaults {
    private final Map<String, Queue<RuntimeException>> armed = new ConcurrentHashMap<>();

    /** The processor to weave before step {@code stepId}. */
    public Processor at(String stepId) {
        Queue<RuntimeException> queue = armed.computeIfAbsent(stepId, k -> new ConcurrentLinkedQueue<>());
        return exchange -> {
            RuntimeException failure = queue.poll();
            if (failure != null) {
                throw failure;
            }
        };
    }

    /** Makes the next exchange reaching {@code stepId} fail with {@code failure}. */
    public void next(String stepId, RuntimeException failure) {
        Queue<RuntimeException> queue = armed.get(stepId);
        if (queue == null) {
            throw new IllegalStateException("no fault point was woven before step " + stepId);
        }
        queue.add(failure);
    }

    /** Whether every armed failure has been thrown. */
    public boolean allThrown() {
        return armed.values().stream().allMatch(Queue::isEmpty);
    }
}
