package com.registryservice.database;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Database;

import io.quarkus.test.junit.QuarkusTest;

/** The tests run on the embedded PostgreSQL of the version the service claims to embed, migrated by Flyway. */
@QuarkusTest
class EmbeddedDatabaseTest {

    @Inject
    Database database;

    @Test
    void theEmbeddedServerIsTheAnnouncedMajorVersion() {
        int version = database.query("show server_version_num").get(0).getString(0).length() == 0 ? 0
                : Integer.parseInt(database.query("show server_version_num").get(0).getString(0));
        assertEquals(EmbeddedPostgresServer.MAJOR_VERSION, Integer.toString(version / 10000));
    }

    @Test
    void flywayOwnsTheSchema() {
        assertEquals(Boolean.TRUE, database.query("select success from flyway_schema_history where version = '1'")
                .get(0).getBoolean(0));
    }
}
