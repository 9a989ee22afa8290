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

    @Test
    void aResetThatCameBackThroughTheDatabaseClientMeansItIsUnavailable() {
        // as seen in bench/db-outage.sh: Hibernate Reactive's failure of a transaction whose server went away, raised
        // in the SQL client's callback (a 500 before)
        RuntimeException lost = new io.smallrye.mutiny.CompositeException(new java.net.SocketException(
                "Connection reset"), new IllegalStateException("HR000090: Live transaction detected while closing the"
                        + " connection: it will be roll backed"));
        lost.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("io.smallrye.mutiny.operators.uni.UniOnTerminationCall", "onFailure", null, 83),
                new StackTraceElement("io.vertx.sqlclient.impl.TransactionImpl", "lambda$wrap$0", null, 72) });
        assertTrue(DatabaseUnavailable.is(lost));
        // the same reset raised anywhere else is not the database's
        lost.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("io.smallrye.mutiny.operators.uni.UniOnTerminationCall", "onFailure", null, 83) });
        assertFalse(DatabaseUnavailable.is(lost));
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
