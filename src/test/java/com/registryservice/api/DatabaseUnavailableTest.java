package com.registryservice.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import io.vertx.core.VertxException;

class DatabaseUnavailableTest {

    @Test
    void refusedAndClosedConnectionsMeanTheDatabaseIsUnavailable() {
        assertTrue(DatabaseUnavailable.is(new RuntimeException(new ConnectException("Connection refused"))));
        assertTrue(DatabaseUnavailable.is(new VertxException("Pool closed", true)));
        assertTrue(DatabaseUnavailable.is(new IllegalStateException("wrapped", new VertxException("Connection is closed", true))));
        assertTrue(DatabaseUnavailable.is(new io.vertx.pgclient.PgException(
                "the database system is shutting down", "FATAL", "57P03", null)));
        // the server went away while a query ran (found by bench/db-outage.sh): Hibernate wraps it
        assertTrue(DatabaseUnavailable.is(new org.hibernate.HibernateException(
                io.vertx.sqlclient.ClosedConnectionException.INSTANCE)));
    }

    /** An exception as the named class would have made it (its stack's top frame there). */
    private static <T extends Throwable> T raisedIn(String className, T t) {
        t.setStackTrace(new StackTraceElement[] { new StackTraceElement(className, "close", null, 1),
                new StackTraceElement("io.smallrye.mutiny.operators.uni.UniOnTerminationCall", "onFailure", null, 83) });
        return t;
    }

    @Test
    void aResetReportedWithTheDatabaseLayersOwnFailureMeansItIsUnavailable() {
        // as seen in bench/db-outage.sh: the server went away under a transaction, and Hibernate Reactive could not
        // roll it back (a 500 before); Mutiny keeps the second of two failures as suppressed, so either order counts
        java.net.SocketException reset = new java.net.SocketException("Connection reset");
        IllegalStateException live = raisedIn("org.hibernate.reactive.pool.impl.SqlClientConnection",
                new IllegalStateException("HR000090: Live transaction detected while closing the connection"));
        assertTrue(DatabaseUnavailable.is(new io.smallrye.mutiny.CompositeException(reset, live)));
        assertTrue(DatabaseUnavailable.is(new io.smallrye.mutiny.CompositeException(live, reset)));
    }

    @Test
    void aClientsResetBesideFailuresRaisedElsewhereIsNot() {
        // a client's connection reset, wrapped on a database callback's stack, beside a failure of the service's own
        java.net.SocketException reset = new java.net.SocketException("Connection reset");
        RuntimeException wrapped = new io.smallrye.mutiny.CompositeException(reset, raisedIn(
                "com.registryservice.content.Distribution", new IllegalStateException("upload released")));
        // made by Mutiny in a callback the database client called
        wrapped.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("io.smallrye.mutiny.operators.uni.UniOnTerminationCall", "onFailure", null, 83),
                new StackTraceElement("io.vertx.sqlclient.impl.TransactionImpl", "lambda$wrap$0", null, 72) });
        assertFalse(DatabaseUnavailable.is(wrapped));
    }

    @Test
    void aDeadlockATimeoutOrTooManyConnectionsAreWorthARetryToo() {
        // each was a 500 before: a client was told the service had failed, when a retry would do
        for (String state : new String[] { "40P01", "40001", "57014", "55P03", "53300" }) {
            assertTrue(DatabaseUnavailable.is(new org.hibernate.HibernateException(
                    new io.vertx.pgclient.PgException("busy", "ERROR", state, null))), state);
        }
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(DatabaseUnavailable.is(new NullPointerException()));
        // a client that resets its own connection is not the database (RegistryReads says which resets are)
        assertFalse(DatabaseUnavailable.is(new java.net.SocketException("Connection reset")));
        assertFalse(DatabaseUnavailable.is(new IllegalStateException("timeout of something else")));
        assertFalse(DatabaseUnavailable.is(new io.vertx.pgclient.PgException("duplicate key", "ERROR", "23505", null)));
        // the same each time (a configured limit), or a commit whose outcome is unknown: a retry is no answer
        assertFalse(DatabaseUnavailable.is(new io.vertx.pgclient.PgException("temp_file_limit", "ERROR", "53400", null)));
        assertFalse(DatabaseUnavailable.is(new io.vertx.pgclient.PgException("unknown", "ERROR", "40003", null)));
        // a client hanging up mid-body (Quarkus REST's stream of it says "Connection was closed", as Vert.x does of
        // a lost database connection): found by the third hostile sweep, answered 503 and logged as an outage
        assertFalse(DatabaseUnavailable.is(new java.io.IOException(new io.vertx.core.http.HttpClosedException(
                "Connection was closed"))));
    }

    @Test
    void aClientHangingUpIsAnsweredAsItsOwnDoing() {
        var answer = new ExceptionMappers("registry-service", new AllowedMethods()).internal(new java.io.IOException(
                new io.vertx.core.http.HttpClosedException("Connection was closed")));
        org.junit.jupiter.api.Assertions.assertEquals(400, answer.getStatus());
    }
}
