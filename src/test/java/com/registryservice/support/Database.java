package com.registryservice.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Direct SQL on the test database, for arranging states the API cannot produce (a crash, say) and checking rows. */
@ApplicationScoped
public class Database {

    private final Pool pool;

    public Database(Pool pool) {
        this.pool = pool;
    }

    public List<Row> query(String sql, Object... params) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(java.util.Arrays.asList(params))).await().atMost(Duration.ofSeconds(30))
                .forEach(rows::add);
        return rows;
    }

    public int update(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(java.util.Arrays.asList(params))).await().atMost(Duration.ofSeconds(30)).rowCount();
    }
}
