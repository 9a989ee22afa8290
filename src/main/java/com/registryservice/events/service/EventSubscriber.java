package com.registryservice.events.service;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Flow;

import com.registryservice.events.Event;

/**
 * One subscriber of the feed: what it may see, and a bounded buffer between the feed and its connection. The feed
 * only ever offers (never waits); the subscriber's demand drains the buffer. When the buffer is full, the
 * subscriber is dropped: the buffer is discarded, a final {@code stream.dropped} event tells the client to reconnect
 * with the id of the last event it received, and the stream completes. So a slow client never slows the feed, the
 * API or the other subscribers, and it loses nothing it cannot fetch again.
 */
final class EventSubscriber implements Flow.Subscription {


    private final Flow.Subscriber<? super Event> downstream;
    private final String contract;
    private final Optional<Set<String>> locations;
    private final int capacity;
    private final Runnable onEnd;
    private final ArrayDeque<Event> buffer = new ArrayDeque<>();
    private final ArrayDeque<Event> waitingLive = new ArrayDeque<>();
    private boolean overflowed;
    private long demand;
    private boolean catchingUp = true;
    private boolean closing;
    private boolean ended;
    private boolean draining;

    EventSubscriber(Flow.Subscriber<? super Event> downstream, String contract, Optional<Set<String>> locations,
            int capacity, Runnable onEnd) {
        this.downstream = downstream;
        this.contract = contract;
        this.locations = locations;
        this.capacity = capacity;
        this.onEnd = onEnd;
    }

    /** Whether the event concerns a registry this subscriber may see. */
    boolean sees(Event event) {
        return event.contract().equals(contract) && locations.map(l -> l.contains(event.location())).orElse(true);
    }

    String contract() {
        return contract;
    }

    Optional<Set<String>> locations() {
        return locations;
    }

    /** A live event from the feed; never blocks. While catching up, live events wait behind the missed ones. */
    void offer(Event event) {
        synchronized (this) {
            if (ended || closing || !sees(event)) {
                return;
            }
            if (catchingUp) {
                if (waitingLive.size() >= capacity) {
                    overflowed = true;
                } else {
                    waitingLive.addLast(event);
                }
                return;
            }
            add(event);
        }
        drain();
    }

    /**
     * The events missed since the client's Last-Event-ID, to be sent before every live event offered so far. When
     * there are more than the buffer holds, a buffer's worth is sent and the stream ends: the client continues by
     * reconnecting with the last id it received.
     */
    void caughtUp(Optional<Event> notice, List<Event> missed) {
        synchronized (this) {
            if (ended) {
                return;
            }
            catchingUp = false;
            notice.ifPresent(buffer::addLast);
            missed.stream().limit(capacity).forEach(buffer::addLast);
            if (missed.size() > capacity) {
                end("more events were missed than one stream sends (" + capacity + ")");
            } else if (overflowed) {
                end("more than " + capacity + " events waited for this client");
            } else {
                waitingLive.forEach(this::add);
            }
            waitingLive.clear();
        }
        drain();
    }

    /** The missed events could not be read: the stream ends at once, and the client retries. */
    void catchUpFailed() {
        synchronized (this) {
            if (ended) {
                return;
            }
            catchingUp = false;
            waitingLive.clear();
            end("the missed events could not be read right now");
        }
        drain();
    }

    /** Ends the stream after what is buffered, with a final stream.dropped saying why. */
    private void end(String why) {
        closing = true;
        buffer.addLast(dropped(why));
    }

    /** A heartbeat, unless the client is behind anyway (then the events it has yet to read keep it busy). */
    void heartbeat() {
        synchronized (this) {
            if (ended || closing || catchingUp || !buffer.isEmpty()) {
                return;
            }
            buffer.addLast(Event.notice(Event.HEARTBEAT, "{}"));
        }
        drain();
    }

    /** Ends the stream after what is buffered (shutdown of the instance). */
    void close() {
        synchronized (this) {
            closing = true;
        }
        drain();
    }

    private void add(Event event) {
        if (closing) {
            return;
        }
        if (buffer.size() < capacity) {
            buffer.addLast(event);
            return;
        }
        // what was buffered is in the log: the client gets it again by reconnecting with its Last-Event-ID
        buffer.clear();
        end("more than " + capacity + " events waited for this client");
    }

    private static Event dropped(String why) {
        return Event.notice(Event.DROPPED, "{\"reason\": \"" + why + "\", \"action\": \"reconnect with the Last-Event-ID of"
                + " the last event received\"}");
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            cancel();
            downstream.onError(new IllegalArgumentException("request must be positive (rule 3.9)"));
            return;
        }
        synchronized (this) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        }
        drain();
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            buffer.clear();
        }
        onEnd.run();
    }

    /** Hands buffered events to the client as far as its demand goes; one thread at a time, never re-entrant. */
    private void drain() {
        while (true) {
            Event next;
            boolean complete = false;
            synchronized (this) {
                if (draining || ended) {
                    return;
                }
                if (catchingUp || buffer.isEmpty() || demand == 0) {
                    if (closing && !catchingUp && buffer.isEmpty()) {
                        ended = true;
                        complete = true;
                        next = null;
                    } else {
                        return;
                    }
                } else {
                    next = buffer.pollFirst();
                    demand--;
                    draining = true;
                }
            }
            if (complete) {
                onEnd.run();
                downstream.onComplete();
                return;
            }
            try {
                downstream.onNext(next);
            } finally {
                synchronized (this) {
                    draining = false;
                }
            }
        }
    }
}
