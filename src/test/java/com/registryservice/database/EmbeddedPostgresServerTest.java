package com.registryservice.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @TempDir
    Path dir;

    @Test
    void aDataDirectoryOfAnotherMajorVersionIsRefusedWithAClearMessage() throws Exception {
        Files.writeString(dir.resolve("PG_VERSION"), "14\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmbeddedPostgresServer.refuseOtherMajorVersion(dir));
        assertTrue(e.getMessage().contains("database files are incompatible"), e.getMessage());
        assertTrue(e.getMessage().contains("PostgreSQL 14"), e.getMessage());
        assertTrue(e.getMessage().contains("PostgreSQL " + EmbeddedPostgresServer.MAJOR_VERSION), e.getMessage());
    }

    @Test
    void aDataDirectoryOfTheSameMajorVersionIsAccepted() throws Exception {
        Files.writeString(dir.resolve("PG_VERSION"), EmbeddedPostgresServer.MAJOR_VERSION + "\n");
        EmbeddedPostgresServer.refuseOtherMajorVersion(dir);
    }

    @Test
    void aStalePidFileOfADeadPostmasterIsRemoved() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.writeString(dir.resolve("postmaster.pid"), dead.pid() + "\n" + dir + "\n");
        EmbeddedPostgresServer.stopOrphanedPostmaster(dir);
        assertFalse(Files.exists(dir.resolve("postmaster.pid")));
    }

    @Test
    void bothPoolsPointAtTheSameServer() {
        var properties = EmbeddedPostgresServer.datasourceProperties(5555);
        assertEquals("postgresql://localhost:5555/postgres", properties.get("quarkus.datasource.reactive.url"));
        assertEquals("jdbc:postgresql://localhost:5555/postgres", properties.get("quarkus.datasource.jdbc.url"));
    }

    @org.junit.jupiter.api.Test
    void aPortAnotherProcessListensOnIsRefusedNamingIt() throws Exception {
        try (java.net.ServerSocket other = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> EmbeddedPostgresServer.requireFreePort(other.getLocalPort()));
            org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("port " + other.getLocalPort()
                    + " is taken"), refused.getMessage());
        }
        EmbeddedPostgresServer.requireFreePort(0);
    }

    @Test
    void thePersistentServerTakesOnlyItsOwnPasswordOnLoopbackAndKeepsItAcrossRestarts() throws Exception {
        Path data = dir.resolve("data");
        String first = null;
        for (int start = 1; start <= 2; start++) {
            String password = EmbeddedPostgresServer.password(data);
            if (first != null) {
                assertEquals(first, password, "the same password at every start");
            }
            first = password;
            try (var server = EmbeddedPostgresServer.startPersistent(data, 0, password)) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(data.resolve(EmbeddedPostgresServer.PASSWORD_FILE))));
                String url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
                for (String wrong : new String[] { "", "postgres" }) {
                    java.sql.SQLException refused = assertThrows(java.sql.SQLException.class,
                            () -> java.sql.DriverManager.getConnection(url, "postgres", wrong).close());
                    assertTrue(refused.getMessage().contains("password"), refused.getMessage());
                }
                try (var connection = java.sql.DriverManager.getConnection(url, "postgres", password);
                        var statement = connection.createStatement()) {
                    try (var listen = statement.executeQuery("show listen_addresses")) {
                        listen.next();
                        assertEquals("localhost", listen.getString(1));
                    }
                    // what answers on the port is checked: this server is ours for its directory, not for another
                    EmbeddedPostgresServer.requireOurs(statement, server.getPort(), java.util.Optional.of(data));
                    IllegalStateException other = assertThrows(IllegalStateException.class, () -> EmbeddedPostgresServer
                            .requireOurs(statement, server.getPort(), java.util.Optional.of(dir)));
                    assertTrue(other.getMessage().contains("is not the embedded one"), other.getMessage());
                }
            }
        }
    }
}
