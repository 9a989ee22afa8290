package com.registryservice.oci;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Oci.pushBlob;
import static com.registryservice.support.Oci.random;
import static com.registryservice.support.Oci.registry;
import static com.registryservice.support.Oci.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Database;
import com.registryservice.support.Oci;
import com.registryservice.support.Oci.Registry;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A manifest push and a delete of a blob it references, from the same repository, at the same moment: whichever
 * commits first, the repository never ends up with a manifest that uses a blob it does not hold.
 */
@QuarkusTest
class HeldBlobRaceTest {

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    @Inject
    AgroalDataSource jdbc;

    @Inject
    Database database;

    @Test
    void aManifestPushThatWaitedForADeleteOfItsBlobFindsTheBlobGone() throws Exception {
        Registry registry = registry();
        byte[] layer = random(1_000, 19);
        String layerDigest = pushBlob(registry.repo("a"), layer);
        pushBlob(registry.repo("b"), layer);
        String configDigest = pushBlob(registry.repo("b"), utf8("{}"));
        String manifest = Oci.manifest(configDigest, 2, List.of(layerDigest), List.of(1_000L));
        CompletableFuture<Response> push;
        try (Connection delete = jdbc.getConnection()) {
            // a delete of the layer from b under way: the blob's row locked, b's link gone, not committed yet
            delete.setAutoCommit(false);
            try (PreparedStatement lock = delete.prepareStatement("select id from blob where registry_id = ?"
                    + " and digest = ? for update")) {
                lock.setObject(1, UUID.fromString(registry.id()));
                lock.setString(2, layerDigest);
                lock.executeQuery();
            }
            try (PreparedStatement unlink = delete.prepareStatement("delete from repository_blob where blob_id ="
                    + " (select id from blob where registry_id = ? and digest = ?) and repository_id ="
                    + " (select id from repository where registry_id = ? and name = 'b')")) {
                unlink.setObject(1, UUID.fromString(registry.id()));
                unlink.setString(2, layerDigest);
                unlink.setObject(3, UUID.fromString(registry.id()));
                assertEquals(1, unlink.executeUpdate());
            }
            push = CompletableFuture.supplyAsync(() -> asUser().contentType(OCI_MANIFEST).body(manifest)
                    .put(registry.repo("b") + "/manifests/1"));
            // the push waits for the delete's lock
            await().atMost(Duration.ofSeconds(20)).until(() -> !database.query("select 1 from pg_stat_activity"
                    + " where wait_event_type = 'Lock' and query like '%for key share of b%'").isEmpty());
            delete.commit();
        }
        Response answer = push.get(30, TimeUnit.SECONDS);
        assertEquals(400, answer.statusCode(), answer.asString());
        assertEquals("MANIFEST_BLOB_UNKNOWN", answer.jsonPath().getString("errors[0].code"));
        asUser().get(registry.repo("b") + "/manifests/1").then().statusCode(404);
        // a still holds it
        asUser().head(registry.repo("a") + "/blobs/" + layerDigest).then().statusCode(200);
    }
}
