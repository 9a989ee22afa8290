package com.registryservice.events.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.registryservice.api.ApiException;
import com.registryservice.api.ErrorCode;
import com.registryservice.api.ErrorText;
import com.registryservice.events.Event;
import com.registryservice.events.repository.EventRepository;
import com.registryservice.events.EventsConfig;

import io.quarkus.arc.Arc;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * This instance's view of the event log, handed to its subscribers. One connection LISTENs; a notification (or the
 * poll interval) makes the feed read the finished events after its position and offer each to every subscriber.
 * Events reach every instance's subscribers, whichever instance (or database session) made the change, because
 * they come from the database.
 */
@ApplicationScoped
public class EventFeed {

    private static final int READ_BATCH = 1000;
    /** The log id of a Last-Event-ID that this stream never sent: no event has it, so the client gets stream.gap. */
    public static final long NOT_SENT = -1;
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final EventRepository events;
    private final Pool pool;
    private final Vertx vertx;
    private final EventsConfig config;
    private final List<EventSubscriber> subscribers = new CopyOnWriteArrayList<>();

    /** Where the feed is in the log; null until it started. Guarded by {@code this}, as are the flags. */
    private Event.Position position;
    private boolean reading;
    private boolean readAgain;
    private volatile boolean stopped;
    private PgConnection listener;
    /** Subscribers that came back with a Last-Event-ID before the feed knew its start: caught up once it does. */
    private final List<Pending> waitingForStart = new ArrayList<>();
    /** Streams open on this instance, in all and per user; guarded by {@code this}. */
    private int streams;
    private final Map<String, Integer> streamsPerUser = new HashMap<>();
    private long timer = -1;
    private long heartbeat = -1;

    public EventFeed(EventRepository events, Pool pool, Vertx vertx, EventsConfig config) {
        this.events = events;
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        events.start().subscribe().with(start -> {
            if (ended()) {
                return;
            }
            List<Pending> pending;
            synchronized (this) {
                position = start;
                pending = List.copyOf(waitingForStart);
                waitingForStart.clear();
            }
            // what they missed is everything up to the start; from it on, the feed offers them the rest
            pending.forEach(p -> catchUp(p.subscriber(), p.lastEventId(), start, p.buffer()));
            listen();
            timer = vertx.setPeriodic(config.pollInterval().toMillis(), ignored -> read());
            heartbeat = vertx.setPeriodic(config.heartbeatInterval().toMillis(),
                    ignored -> subscribers.forEach(EventSubscriber::heartbeat));
        }, failure -> {
            if (ended()) {
                return;
            }
            Log.warnf("The event feed could not start (retrying): %s", failure.getMessage());
            vertx.setTimer(RECONNECT_DELAY.toMillis(), ignored -> onStart(event));
        });
    }

    /**
     * The first step of a shutdown, before Quarkus waits for in-flight requests: event streams never finish by
     * themselves, so they end here (clients reconnect, to another instance) instead of holding the shutdown.
     */
    void onShutdownStarts(@Observes ShutdownDelayInitiatedEvent event) {
        stop();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stop();
    }

    private synchronized void stop() {
        // both shutdown events come: closing the LISTEN connection twice would release it to the pool twice
        if (stopped) {
            return;
        }
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            vertx.cancelTimer(heartbeat);
        }
        subscribers.forEach(EventSubscriber::close);
        if (listener != null) {
            listener.closeAndForget();
        }
    }

    /**
     * Whether the feed has stopped, or the application has: a start that failed elsewhere (a setting refused) shuts the
     * container down without a ShutdownEvent, while the feed's first read may still be on its way; going on would ask
     * the stopped container for the pool and log a stack trace above the refusal's message.
     */
    private boolean ended() {
        return stopped || Arc.container() == null || !Arc.container().isRunning();
    }

    /** LISTENs on a connection of its own; when it closes (the database went away), it listens again. */
    private void listen() {
        if (ended()) {
            return;
        }
        pool.getConnection().map(PgConnection::cast)
                .call(connection -> connection.query("LISTEN registry_events").execute())
                .subscribe().with(connection -> {
                    listener = connection;
                    connection.notificationHandler(notification -> read());
                    connection.closeHandler(() -> {
                        Log.debug("The event feed's LISTEN connection closed; listening again");
                        vertx.setTimer(RECONNECT_DELAY.toMillis(), ignored -> listen());
                    });
                    // what was committed while nobody listened
                    read();
                }, failure -> {
                    Log.debugf("The event feed cannot LISTEN yet (retrying): %s", failure.getMessage());
                    vertx.setTimer(RECONNECT_DELAY.toMillis(), ignored -> listen());
                });
    }

    /** Reads what finished after the position and offers it; one read at a time, another one if asked meanwhile. */
    private void read() {
        Event.Position from;
        synchronized (this) {
            if (position == null || stopped) {
                return;
            }
            if (reading) {
                readAgain = true;
                return;
            }
            reading = true;
            readAgain = false;
            from = position;
        }
        events.after(from, READ_BATCH).subscribe().with(batch -> {
            boolean again;
            synchronized (this) {
                for (Event event : batch) {
                    position = event.position();
                    subscribers.forEach(subscriber -> subscriber.offer(event));
                }
                reading = false;
                again = readAgain || batch.size() == READ_BATCH;
            }
            if (again) {
                read();
            }
        }, failure -> {
            synchronized (this) {
                reading = false;
            }
            Log.debugf("The event feed could not read the log (the next poll retries): %s", failure.getMessage());
        });
    }

    /**
     * A place for one more event stream of the user on this instance; 429 when the instance or the user has as
     * many as allowed ({@code registry.events.max-streams}, {@code max-streams-per-user}): streams hold a connection
     * each, and one user must not take them all.
     *
     * @return what gives the place back when the stream ends (once, however often it is called)
     */
    public synchronized Runnable admit(String user) {
        if (streams >= config.maxStreams()) {
            throw new ApiException(429, ErrorCode.TOO_MANY_REQUESTS, "this instance serves " + config.maxStreams()
                    + " event streams already: retry shortly");
        }
        int mine = streamsPerUser.getOrDefault(user, 0);
        if (mine >= config.maxStreamsPerUser()) {
            throw new ApiException(429, ErrorCode.TOO_MANY_REQUESTS, "user " + user + " has "
                    + config.maxStreamsPerUser() + " event streams open already (the most one user may have): close"
                    + " one first");
        }
        streams++;
        streamsPerUser.put(user, mine + 1);
        AtomicBoolean given = new AtomicBoolean();
        return () -> {
            if (given.compareAndSet(false, true)) {
                release(user);
            }
        };
    }

    private synchronized void release(String user) {
        streams--;
        streamsPerUser.computeIfPresent(user, (u, n) -> n > 1 ? n - 1 : null);
    }

    /**
     * The events of the contract's registries in the locations (all when empty) from now on; with
     * {@code lastEventId}, first those after that event that the log still holds.
     */
    public Multi<Event> subscribe(String contract, Optional<Set<String>> locations, Optional<Long> lastEventId) {
        return subscribe(contract, locations, lastEventId, config.subscriberBuffer());
    }

    Multi<Event> subscribe(String contract, Optional<Set<String>> locations, Optional<Long> lastEventId,
            int buffer) {
        Flow.Publisher<Event> publisher = downstream -> {
            EventSubscriber[] self = new EventSubscriber[1];
            EventSubscriber subscriber = new EventSubscriber(downstream, contract, locations, buffer,
                    () -> subscribers.remove(self[0]));
            self[0] = subscriber;
            Event.Position upTo;
            boolean beforeStart;
            synchronized (this) {
                // from here on the subscriber gets every event after upTo; what it missed is up to upTo
                upTo = position;
                subscribers.add(subscriber);
                beforeStart = upTo == null && lastEventId.isPresent();
                if (beforeStart) {
                    waitingForStart.add(new Pending(subscriber, lastEventId, buffer));
                }
            }
            downstream.onSubscribe(subscriber);
            if (stopped) {
                subscriber.close();
            }
            if (!beforeStart) {
                catchUp(subscriber, lastEventId, upTo, buffer);
            }
        };
        return Multi.createFrom().publisher(publisher);
    }

    private void catchUp(EventSubscriber subscriber, Optional<Long> lastEventId, Event.Position upTo, int buffer) {
        if (lastEventId.isEmpty() || upTo == null) {
            subscriber.caughtUp(Optional.empty(), List.of());
            return;
        }
        events.positionOf(lastEventId.get(), subscriber.contract())
                .flatMap(after -> after.isEmpty()
                        ? Uni.createFrom().item(new Missed(Optional.of(Event.notice(Event.GAP,
                                "{\"reason\": \"the Last-Event-ID is not in the log (it expired after "
                                        + ErrorText.duration(config.retention()) + ", or this stream never sent it):"
                                        + " events may have been missed\", \"action\": \"read the registries"
                                        + " again\"}")),
                                List.of()))
                        : events.between(subscriber.contract(), subscriber.locations(), after.get(), upTo, buffer + 1)
                                .map(missed -> new Missed(Optional.empty(), missed)))
                .subscribe().with(missed -> subscriber.caughtUp(missed.notice(), missed.events()), failure -> {
                    Log.debugf("Catching up a subscriber failed: %s", failure.getMessage());
                    subscriber.catchUpFailed();
                });
    }

    private record Missed(Optional<Event> notice, List<Event> events) {
    }

    private record Pending(EventSubscriber subscriber, Optional<Long> lastEventId, int buffer) {
    }
}
