package com.registryservice.token.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.token.Scope;
import com.registryservice.token.Token;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Tokens in plain SQL on the reactive client; each method is one statement. */
@ApplicationScoped
public class TokenRepository {

    private static final String COLUMNS = "id, registry_id, name, username, password_hash, expiry_date, status, scopes,"
            + " created_by, created_by_user_id, created_date, last_modified_by, last_modified_by_user_id,"
            + " last_modified_date";

    private final Pool pool;

    public TokenRepository(Pool pool) {
        this.pool = pool;
    }

    /** The key that signs bearer tokens (written by a migration, the same for every instance). */
    public Uni<String> bearerKey() {
        return pool.preparedQuery("select value from service_secret where name = 'bearer-token-key'").execute()
                .map(rows -> rows.iterator().next().getString("value"));
    }

    /** Inserts the token; false when its name (or user name) is taken in the registry. */
    public Uni<Boolean> insert(Token t) {
        return pool.preparedQuery("insert into token (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
                + " $11, $12, $13, $14) on conflict do nothing")
                .execute(Tuple.from(java.util.Arrays.asList(t.id(), t.registryId(), t.name(), t.username(), t.passwordHash(),
                        nullable(t.expiryDate()), t.status(), scopes(t.scopes()), t.audit().createdBy(),
                        t.audit().createdByUserId(), utc(t.audit().createdDate()), t.audit().lastModifiedBy(),
                        t.audit().lastModifiedByUserId(), utc(t.audit().lastModifiedDate()))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Writes what a replace or an update may change: expiry, status, scopes, and who changed it when. */
    public Uni<Boolean> update(Token t) {
        return pool.preparedQuery("update token set expiry_date = $3, status = $4, scopes = $5, last_modified_by = $6,"
                + " last_modified_by_user_id = $7, last_modified_date = $8 where id = $1 and registry_id = $2")
                .execute(Tuple.from(java.util.Arrays.asList(t.id(), t.registryId(), nullable(t.expiryDate()),
                        t.status(), scopes(t.scopes()), t.audit().lastModifiedBy(), t.audit().lastModifiedByUserId(),
                        utc(t.audit().lastModifiedDate()))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The token of the registry; null when there is none. */
    public Uni<Token> find(UUID registry, UUID id) {
        return pool.preparedQuery("select " + COLUMNS + " from token where id = $1 and registry_id = $2")
                .execute(Tuple.of(id, registry)).map(rows -> rows.rowCount() == 0 ? null : of(rows.iterator().next()));
    }

    /** Up to {@code limit} tokens of the registry from {@code offset}, oldest first. */
    public Uni<List<Token>> list(UUID registry, int offset, int limit) {
        return pool.preparedQuery("select " + COLUMNS + " from token where registry_id = $1"
                + " order by created_date, id offset $2 limit $3")
                .execute(Tuple.of(registry, offset, limit)).map(TokenRepository::all);
    }

    /** Whether the registry has a token of this name (or of the user name derived from it). */
    public Uni<Boolean> nameTaken(UUID registry, String name, String username) {
        return pool.preparedQuery("select exists(select 1 from token where registry_id = $1 and (name = $2"
                + " or username = $3))").execute(Tuple.of(registry, name, username))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    public Uni<Long> count(UUID registry) {
        return pool.preparedQuery("select count(*) from token where registry_id = $1").execute(Tuple.of(registry))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Boolean> delete(UUID registry, UUID id) {
        return pool.preparedQuery("delete from token where id = $1 and registry_id = $2")
                .execute(Tuple.of(id, registry)).map(rows -> rows.rowCount() == 1);
    }

    /** The token with this user name in the registry of this name; null when there is none. */
    public Uni<Token> findByUsername(String registryName, String username) {
        return pool.preparedQuery("select " + prefixed("t") + " from token t join registry r on r.id = t.registry_id"
                + " where r.name = $1 and t.username = $2")
                .execute(Tuple.of(registryName, username))
                .map(rows -> rows.rowCount() == 0 ? null : of(rows.iterator().next()));
    }

    /** Every token with this user name, in any registry (the base endpoint of path mode names no registry). */
    public Uni<List<Token>> findByUsername(String username) {
        return pool.preparedQuery("select " + COLUMNS + " from token where username = $1 limit 100")
                .execute(Tuple.of(username)).map(TokenRepository::all);
    }

    private static String prefixed(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    private static List<Token> all(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Token> tokens = new ArrayList<>();
        rows.forEach(r -> tokens.add(of(r)));
        return tokens;
    }

    private static Token of(Row r) {
        List<Scope> scopes = new ArrayList<>();
        Object stored = r.getValue("scopes");
        JsonArray array = stored instanceof JsonArray a ? a : new JsonArray(String.valueOf(stored));
        for (int i = 0; i < array.size(); i++) {
            JsonObject scope = array.getJsonObject(i);
            List<String> actions = new ArrayList<>();
            scope.getJsonArray("actions", new JsonArray()).forEach(a -> actions.add(String.valueOf(a)));
            scopes.add(new Scope(scope.getString("name"), scope.getString("type"), List.copyOf(actions)));
        }
        return new Token(r.getUUID("id"), r.getUUID("registry_id"), r.getString("name"), r.getString("username"),
                r.getString("password_hash"), instant(r.getOffsetDateTime("expiry_date")), r.getString("status"),
                List.copyOf(scopes), new Token.Audit(r.getString("created_by"), r.getString("created_by_user_id"),
                        instant(r.getOffsetDateTime("created_date")), r.getString("last_modified_by"),
                        r.getString("last_modified_by_user_id"), instant(r.getOffsetDateTime("last_modified_date"))));
    }

    private static JsonArray scopes(List<Scope> scopes) {
        JsonArray array = new JsonArray();
        scopes.forEach(s -> array.add(new JsonObject().put("name", s.name()).put("type", s.type())
                .put("actions", new JsonArray(s.actions()))));
        return array;
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static OffsetDateTime nullable(Instant instant) {
        return instant == null ? null : utc(instant);
    }
}
