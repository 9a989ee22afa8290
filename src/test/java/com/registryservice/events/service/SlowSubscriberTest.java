package com.registryservice.events.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.events.Event;
import com.registryservice.events.EventsConfig;
import com.registryservice.events.repository.EventRepository;
import com.registryservice.support.Api;
import com.registryservice.support.Database;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/** Back-pressure: a subscriber that does not keep up is dropped with a final event; the others get everything. */
@QuarkusTest
class SlowSubscriberTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Inject
    EventFeed feed;

    @Inject
    Database database;

    @Inject
    EventRepository repository;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    EventsConfig config;

    /** Appends {@code count} events of a contract of its own to the log, as a transaction would, and notifies. */
    private List<Long> append(String contract, int count) {
        database.update("insert into event (contract, location, registry_id, type, data) select $1, 'de/fra',"
                + " gen_random_uuid(), 'registry.updated', jsonb_build_object('n', g) from generate_series(1, $2) g",
                contract, count);
        database.query("select pg_notify('registry_events', '')");
        return database.query("select id from event where contract = $1 order by id", contract).stream()
                .map(row -> row.getLong("id")).toList();
    }

    private AssertSubscriber<Event> subscribe(String contract, Optional<Long> lastEventId, long demand) {
        return feed.subscribe(contract, Optional.empty(), lastEventId, 3).subscribe()
                .withSubscriber(AssertSubscriber.create(demand));
    }

    /** What the subscriber got but heartbeats (one comes every second in tests: a slow machine sees some). */
    private static List<Event> events(AssertSubscriber<Event> subscriber) {
        return subscriber.getItems().stream().filter(e -> !Event.HEARTBEAT.equals(e.type())).toList();
    }

    private static List<String> types(AssertSubscriber<Event> subscriber) {
        return events(subscriber).stream().map(Event::type).toList();
    }

    @Test
    void aSubscriberThatDoesNotReadIsDroppedWithAFinalEventWhileTheOthersGetEverything() {
        String contract = Api.uniqueName("slow");
        AssertSubscriber<Event> slow = subscribe(contract, Optional.empty(), 0);
        AssertSubscriber<Event> fast = subscribe(contract, Optional.empty(), Long.MAX_VALUE);

        List<Long> ids = append(contract, 10);

        await().atMost(PATIENCE).until(() -> events(fast).size() >= 10);
        // each exactly once, in order (a duplicate would show here, even one arriving a little later)
        fast.cancel();
        assertEquals(ids, events(fast).stream().map(Event::id).toList());
        slow.request(100).awaitCompletion(PATIENCE);
        assertEquals(List.of(Event.DROPPED), types(slow), "the buffer of 3 overflowed: only the notice");
    }

    @Test
    void aCatchUpLongerThanTheBufferSendsWhatFitsThenAsksToReconnect() {
        String contract = Api.uniqueName("catch-up");
        AssertSubscriber<Event> live = subscribe(contract, Optional.empty(), Long.MAX_VALUE);
        List<Long> ids = append(contract, 8);
        // once a live subscriber has them, they are behind the feed's position: a reconnect finds them in the log
        await().atMost(PATIENCE).until(() -> events(live).size() >= 8);

        AssertSubscriber<Event> first = subscribe(contract, Optional.of(ids.get(0)), Long.MAX_VALUE);
        first.awaitCompletion(PATIENCE);
        assertEquals(List.of("registry.updated", "registry.updated", "registry.updated", Event.DROPPED),
                types(first));
        assertEquals(ids.subList(1, 4), events(first).subList(0, 3).stream().map(Event::id).toList());

        // reconnecting with the last id received continues where it stopped; four are left, so again three and the
        // notice (waiting for exactly three items raced the fourth, which is already on its way)
        AssertSubscriber<Event> second = subscribe(contract, Optional.of(ids.get(3)), Long.MAX_VALUE);
        second.awaitCompletion(PATIENCE);
        assertEquals(List.of("registry.updated", "registry.updated", "registry.updated", Event.DROPPED),
                types(second));
        assertEquals(ids.subList(4, 7), events(second).subList(0, 3).stream().map(Event::id).toList());
    }

    @Test
    void aClientBackWithLastEventIdBeforeTheFeedStartedGetsWhatItMissedOnceItHas() {
        String contract = Api.uniqueName("early");
        List<Long> ids = append(contract, 3);
        // a feed as right after a (rolling) restart: it has not read its start position yet
        EventFeed early = new EventFeed(repository, pool, vertx, config);
        try {
            AssertSubscriber<Event> back = early.subscribe(contract, Optional.empty(), Optional.of(ids.get(0)), 10)
                    .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            early.onStart(new StartupEvent());
            await().atMost(PATIENCE).until(() -> events(back).size() >= 2);
            assertEquals(ids.subList(1, 3), events(back).stream().map(Event::id).toList());
        } finally {
            early.onShutdown(new ShutdownEvent());
        }
    }
}
