package com.registryservice.database;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Database work that takes turns by tenant: at most {@code permits} pieces of work run at once (the connection pool's
 * size), and when more wait, the tenants that wait are served in turn, one piece each, rather than in arrival order.
 * Without it the pool's own queue is first come, first served: one contract polling with 50 connections puts 50
 * statements ahead of another contract's one (bench/flood.sh). A tenant alone gets every permit, so one user's
 * throughput is the pool's as before.
 */
public final class Turns {

    /** Work admitted on this thread while an admitted piece runs: see {@link Turn#admit()}. */
    private static final ThreadLocal<ArrayDeque<Turn>> ADMITTING = new ThreadLocal<>();

    private final int permits;
    private int running;
    /** Tenants with work waiting, in the order they are served next; each with its work in arrival order. */
    private final LinkedHashMap<String, ArrayDeque<Turn>> waiting = new LinkedHashMap<>();

    public Turns(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits (" + permits + ") must be at least 1");
        }
        this.permits = permits;
    }

    /**
     * Runs {@code work} for {@code tenant} once it has a permit, on the caller's Vert.x context, and gives the permit
     * back when the work ends, fails or is cancelled (a request whose client went away, waiting or not).
     */
    public <T> Uni<T> run(String tenant, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Turn turn = new Turn(tenant, Vertx.currentContext());
            return Uni.createFrom().<Void>emitter(emitter -> enter(turn, emitter))
                    .chain(admitted -> work.get())
                    .onTermination().invoke(() -> leave(turn));
        });
    }

    private void enter(Turn turn, UniEmitter<? super Void> emitter) {
        synchronized (this) {
            if (turn.left) { // cancelled before it could ask (in onSubscribe): it must not take a permit
                return;
            }
            turn.emitter = emitter;
            if (running >= permits || !waiting.isEmpty()) {
                waiting.computeIfAbsent(turn.tenant, t -> new ArrayDeque<>()).add(turn);
                return;
            }
            running++;
            turn.admitted = true;
        }
        emitter.complete(null);
    }

    private void leave(Turn turn) {
        Turn next;
        synchronized (this) {
            if (turn.left) { // once, whatever ends it
                return;
            }
            turn.left = true;
            if (!turn.admitted) { // cancelled while waiting
                ArrayDeque<Turn> queue = waiting.get(turn.tenant);
                if (queue != null && queue.remove(turn) && queue.isEmpty()) {
                    waiting.remove(turn.tenant);
                }
                return;
            }
            next = next();
            if (next == null) {
                running--;
                return;
            }
            next.admitted = true; // the permit passes to it: running stays
        }
        next.admit();
    }

    /** The first waiting tenant's oldest work; that tenant goes to the back of the line if it has more. */
    private Turn next() {
        Iterator<Map.Entry<String, ArrayDeque<Turn>>> first = waiting.entrySet().iterator();
        if (!first.hasNext()) {
            return null;
        }
        Map.Entry<String, ArrayDeque<Turn>> tenant = first.next();
        Turn next = tenant.getValue().poll();
        first.remove();
        if (!tenant.getValue().isEmpty()) {
            waiting.put(tenant.getKey(), tenant.getValue());
        }
        return next;
    }

    /** Work of one tenant, waiting or admitted. */
    private static final class Turn {

        private final String tenant;
        private final Context context;
        private UniEmitter<? super Void> emitter;
        private boolean admitted;
        private boolean left;

        Turn(String tenant, Context context) {
            this.tenant = tenant;
            this.context = context;
        }

        /**
         * Continues the work on its own context (the pool and the request are bound to it), not the leaver's. Work
         * started off any context continues on the leaver's thread, through a loop rather than a call from the work
         * that left: a long line of work that ends at once would otherwise nest one call deeper per piece.
         */
        void admit() {
            if (context != null) {
                context.runOnContext(v -> emitter.complete(null));
                return;
            }
            ArrayDeque<Turn> later = ADMITTING.get();
            if (later != null) { // a loop further up this thread's stack admits it when this call returns
                later.add(this);
                return;
            }
            later = new ArrayDeque<>();
            ADMITTING.set(later);
            try {
                for (Turn turn = this; turn != null; turn = later.poll()) {
                    turn.emitter.complete(null);
                }
            } finally {
                ADMITTING.remove();
            }
        }
    }
}
