package com.registryservice.events.repository;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.events.Event;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads the event log. Only events of finished transactions are read, in (xid, id) order: "finished" is below the
 * oldest transaction still running, so an event read is never followed by one that sorts before it.
 */
@ApplicationScoped
public class EventRepository {

    private static final String COLUMNS = "select id, xid::text as xid, contract, location, registry_id, type,"
            + " data::text as data, created_at from event";
    private static final String FINISHED = " xid < pg_snapshot_xmin(pg_current_snapshot())";

    private final Pool pool;

    public EventRepository(Pool pool) {
        this.pool = pool;
    }

    /** The position before every event that is not finished yet: where a feed that starts now begins. */
    public Uni<Event.Position> start() {
        return pool.query("select pg_snapshot_xmin(pg_current_snapshot())::text as xmin").execute()
                .map(rows -> new Event.Position(rows.iterator().next().getString("xmin"), -1));
    }

    /** Up to {@code max} finished events after {@code after}, of every contract, in order. */
    public Uni<List<Event>> after(Event.Position after, int max) {
        return pool.preparedQuery(COLUMNS + " where (xid, id) > ($1::text::xid8, $2) and" + FINISHED
                + " order by xid, id limit $3").execute(Tuple.of(after.xid(), after.id(), max))
                .map(EventRepository::events);
    }

    /**
     * Up to {@code max} events of the contract, in the locations (all when empty), after {@code after} and up to
     * {@code upTo}, in order.
     */
    public Uni<List<Event>> between(String contract, Optional<Set<String>> locations, Event.Position after,
            Event.Position upTo, int max) {
        return pool.preparedQuery(COLUMNS + " where contract = $1 and ($2::text[] is null or location = any($2))"
                + " and (xid, id) > ($3::text::xid8, $4) and (xid, id) <= ($5::text::xid8, $6)"
                + " order by xid, id limit $7")
                .execute(Tuple.from(java.util.Arrays.asList(contract, locations.map(l -> l.toArray(String[]::new)).orElse(null),
                        after.xid(), after.id(), upTo.xid(), upTo.id(), max)))
                .map(EventRepository::events);
    }

    /** Where the contract's event with this id sits; empty when it has no such event (never, or expired). */
    public Uni<Optional<Event.Position>> positionOf(long id, String contract) {
        return pool.preparedQuery("select xid::text as xid from event where id = $1 and contract = $2")
                .execute(Tuple.of(id, contract))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(new Event.Position(rows.iterator().next().getString("xid"), id)));
    }

    /** Deletes the events older than {@code retention}; answers how many. */
    public Uni<Integer> deleteOlderThan(Duration retention) {
        return pool.preparedQuery("delete from event where created_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) retention.toSeconds())).map(RowSet::rowCount);
    }

    private static List<Event> events(RowSet<Row> rows) {
        List<Event> events = new ArrayList<>(rows.size());
        for (Row row : rows) {
            events.add(new Event(row.getLong("id"), new Event.Position(row.getString("xid"), row.getLong("id")),
                    row.getString("contract"), row.getString("location"), row.getUUID("registry_id"),
                    row.getString("type"), row.getString("data"), row.getOffsetDateTime("created_at").toInstant()));
        }
        return events;
    }
}
