package com.registryservice.storage;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * The memory the S3 store may hold in part buffers at once, as a number of part-sized slots: an upload whose body
 * arrives without a length must gather a whole part before sending it, so each request writing to S3 holds one
 * slot while it does. A request that finds none free waits (its body is not read meanwhile: back-pressure), so the
 * heap stays bounded however many uploads run.
 */
final class PartBuffers {

    private final int slots;
    private int used;
    private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();

    PartBuffers(int slots) {
        this.slots = Math.max(1, slots);
    }

    /** A slot, now or when one is released; cancel the future to stop waiting. */
    synchronized CompletableFuture<Void> acquire() {
        if (used < slots) {
            used++;
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> turn = new CompletableFuture<>();
        waiting.add(turn);
        return turn;
    }

    /** Gives the slot to the next waiter still waiting, or frees it. */
    void release() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    used--;
                    return;
                }
            }
            if (next.complete(null)) {
                return;
            }
            // that waiter gave up (its request went away): the slot goes to the one after it
        }
    }
}
