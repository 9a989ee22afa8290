package com.registryservice.registry.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.registryservice.api.Page;
import com.registryservice.database.LostConnection;
import com.registryservice.database.Turns;
import com.registryservice.registry.Registry;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The API's hot reads of registries (get one, list a page), which change nothing: one SQL statement each, the row
 * mapped straight to a detached {@link Registry}, without a Hibernate session, persistence context or snapshot.
 * Writes, and reads that lock, stay with {@link RegistryRepository}. Measured in {@code bench/api.sh}
 * (docs/benchmarks.md).
 */
@ApplicationScoped
public class RegistryReads {

    private static final String SELECT = "select r.id, r.contract, r.name, r.location, r.hostname, r.state, r.gc_days,"
            + " r.gc_time, r.vulnerability_scanning, r.api_subnet_allow_list, s.bytes, s.measured_at, r.created_by,"
            + " r.created_by_user_id, r.created_date, r.last_modified_by, r.last_modified_by_user_id,"
            + " r.last_modified_date, r.version from registry r left join storage_usage s on s.registry_id = r.id";

    private final Pool pool;
    private final Turns turns;

    public RegistryReads(Pool pool, @ConfigProperty(name = "quarkus.datasource.reactive.max-size") int poolSize) {
        this.pool = pool;
        this.turns = new Turns(poolSize);
    }

    /** The registry of this contract, or null. */
    public Uni<Registry> find(String contract, UUID id) {
        return query(contract, SELECT + " where r.id = $1 and r.contract = $2", Tuple.of(id, contract))
                .map(rows -> rows.size() == 0 ? null : registry(rows.iterator().next()));
    }

    /**
     * Up to {@code fetch} registries of the contract, in the given locations (all when empty), whose name contains
     * {@code filter} (case-insensitive, literally), strictly after or before the cursor, in the cursor's direction:
     * keyset paging on the unique name, so any page costs the same as the first.
     */
    public Uni<List<Registry>> page(String contract, Optional<Set<String>> locations, Optional<String> filter,
            Optional<Page.Cursor> cursor, int fetch) {
        StringBuilder sql = new StringBuilder(SELECT).append(" where r.contract = $1");
        List<Object> params = new ArrayList<>();
        params.add(contract);
        locations.ifPresent(l -> {
            params.add(l.toArray(String[]::new));
            sql.append(" and r.location = any($").append(params.size()).append(')');
        });
        filter.filter(f -> !f.isEmpty()).ifPresent(f -> {
            params.add("%" + likeLiteral(f.toLowerCase(Locale.ROOT)) + "%");
            sql.append(" and r.name like $").append(params.size()).append(" escape '!'");
        });
        boolean forward = cursor.map(Page.Cursor::forward).orElse(true);
        cursor.ifPresent(c -> {
            params.add(c.key());
            sql.append(c.forward() ? " and r.name > $" : " and r.name < $").append(params.size());
        });
        params.add(fetch);
        sql.append(forward ? " order by r.name asc" : " order by r.name desc").append(" limit $").append(params.size());
        return query(contract, sql.toString(), Tuple.from(params)).map(rows -> {
            List<Registry> page = new ArrayList<>(rows.size());
            rows.forEach(row -> page.add(registry(row)));
            return page;
        });
    }

    /**
     * One statement on a borrowed connection (as the other repositories borrow: {@code Pool.preparedQuery} leaves a
     * pool timer per statement that logs an ERROR when the database is down), the contracts' statements taking turns
     * for the connections (a contract polling hard does not queue ahead of the others). A connection lost under the
     * statement fails with the socket's own exception: it is told apart as the database's (503), not a client's.
     */
    private Uni<RowSet<Row>> query(String contract, String sql, Tuple params) {
        return turns.run(contract,
                () -> LostConnection.asClosed(pool.withConnection(c -> c.preparedQuery(sql).execute(params))));
    }

    /** By position, in {@link #SELECT}'s order: a lookup by name searches the columns for each value. */
    private static Registry registry(Row row) {
        Registry r = new Registry();
        r.id = row.getUUID(0);
        r.contract = row.getString(1);
        r.name = row.getString(2);
        r.location = row.getString(3);
        r.hostname = row.getString(4);
        r.state = Registry.State.valueOf(row.getString(5));
        r.gcDays = row.getShort(6);
        r.gcTime = row.getLocalTime(7);
        r.vulnerabilityScanning = row.getBoolean(8);
        r.apiSubnetAllowList = row.getString(9);
        r.storageBytes = row.getLong(10);
        r.storageUpdatedAt = instant(row.getOffsetDateTime(11));
        r.createdBy = row.getString(12);
        r.createdByUserId = row.getString(13);
        r.createdDate = instant(row.getOffsetDateTime(14));
        r.lastModifiedBy = row.getString(15);
        r.lastModifiedByUserId = row.getString(16);
        r.lastModifiedDate = instant(row.getOffsetDateTime(17));
        r.version = row.getInteger(18);
        return r;
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** Escapes LIKE wildcards so that '%' and '_' in a filter match themselves. */
    static String likeLiteral(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
