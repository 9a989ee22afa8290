package com.registryservice.database;

import java.net.SocketException;

import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * A socket failure under a database call is the database connection's: PostgreSQL went away mid-statement (the
 * client's own socket is not read there; its body was read before). The call's failure says so as a closed database
 * connection, which the error mappers answer 503, rather than as the bare socket exception, which may as well be a
 * client resetting its connection on the data plane and is not taken for the database's.
 */
public final class LostConnection {

    private LostConnection() {
    }

    public static <T> Uni<T> asClosed(Uni<T> call) {
        return call.onFailure(SocketException.class).transform(lost -> ClosedConnectionException.INSTANCE);
    }
}
