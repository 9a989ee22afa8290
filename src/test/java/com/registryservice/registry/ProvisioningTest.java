package com.registryservice.registry;

import static com.registryservice.support.Api.awaitProvisioned;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.get;
import static com.registryservice.support.Api.uniqueName;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Database;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ProvisioningTest {

    @Inject
    Database database;

    @Test
    void aRegistryLeftBusyByACrashIsProvisionedByTheNextRun() {
        // what a crash between the create's commit and its provisioning leaves behind
        String id = UUID.randomUUID().toString();
        String name = uniqueName("crashed");
        database.update("insert into registry (id, contract, name, location, state, gc_days, gc_time, vulnerability_scanning,"
                + " created_by, created_by_user_id, created_date, last_modified_by, last_modified_by_user_id,"
                + " last_modified_date) values ($1::uuid, '1001', $2, 'de/fra', 'BUSY', 64, '01:23:00', true, 'tester', 'x', now(),"
                + " 'tester', 'x', now())", id, name);
        get(id).body("metadata.state", equalTo("BUSY")).body("properties.hostname", nullValue());
        assertEquals("RUNNING", awaitProvisioned(id));
        get(id).body("properties.hostname", equalTo(name + ".cr.test.example"));
    }

    @Test
    void aFailedProvisioningMarksTheRegistryFailed() {
        String id = create(uniqueName(FailingProvisioner.PREFIX));
        assertEquals("FAILED", awaitProvisioned(id));
        get(id).body("properties.hostname", nullValue());
    }
}
