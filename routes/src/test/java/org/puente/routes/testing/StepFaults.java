package org.puente.routes.testing;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * One-shot failures for route steps: a test weaves {@link #at(String)} in front of a step once,
 * then arms a failure with {@link #next(String, RuntimeException)}; the next exchange that reaches
 * the step throws it, and later exchanges pass as if nothing had been woven. So one started
 * gateway serves many error-handling tests. A failure may be armed for the first exchange whose
 * body matches a condition only ({@link #next(String, Predicate, RuntimeException)}), and the
 * bodies a step failed on are kept ({@link #failedOn(String)}).
 */
public final class StepFaults {
    private record Armed(Predicate<Object> when, RuntimeException failure) {
    }

    private final Map<String, Queue<Armed>> armed = new ConcurrentHashMap<>();
    private final Map<String, List<Object>> failedOn = new ConcurrentHashMap<>();

    /** The processor to weave before step {@code stepId}. */
    public Processor at(String stepId) {
        Queue<Armed> queue = armed.computeIfAbsent(stepId, k -> new ConcurrentLinkedQueue<>());
        List<Object> bodies = failedOn.computeIfAbsent(stepId, k -> new CopyOnWriteArrayList<>());
        return (Exchange exchange) -> {
            Object body = exchange.getIn().getBody();
            synchronized (queue) {
                Armed next = queue.peek();
                if (next != null && next.when().test(body)) {
                    queue.remove();
                    bodies.add(body);
                    throw next.failure();
                }
            }
        };
    }

    /** Makes the next exchange reaching {@code stepId} fail with {@code failure}. */
    public void next(String stepId, RuntimeException failure) {
        next(stepId, body -> true, failure);
    }

    /** Makes the next exchange reaching {@code stepId} whose body matches {@code when} fail with {@code failure}. */
    public void next(String stepId, Predicate<Object> when, RuntimeException failure) {
        Queue<Armed> queue = armed.get(stepId);
        if (queue == null) {
            throw new IllegalStateException("no fault point was woven before step " + stepId);
        }
        queue.add(new Armed(when, failure));
    }

    /** The bodies of the exchanges that {@code stepId} failed, oldest first. */
    public List<Object> failedOn(String stepId) {
        return List.copyOf(failedOn.getOrDefault(stepId, List.of()));
    }

    /** Whether every armed failure has been thrown. */
    public boolean allThrown() {
        return armed.values().stream().allMatch(Queue::isEmpty);
    }
}
