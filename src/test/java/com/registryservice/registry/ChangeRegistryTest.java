package com.registryservice.registry;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.awaitProvisioned;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.get;
import static com.registryservice.support.Api.randomId;
import static com.registryservice.support.Api.uniqueName;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ChangeRegistryTest {

    private static final Map<String, Object> SCANNING_OFF = Map.of("vulnerabilityScanning", Map.of("enabled", false));
    private static final Map<String, Object> SCANNING_ON = Map.of("vulnerabilityScanning", Map.of("enabled", true));

    private static Map<String, Object> props(String name, String location, Object... keyValues) {
        Map<String, Object> properties = new HashMap<>(Map.of("name", name, "location", location));
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void putOnANewIdCreatesTheRegistryWithThatId() {
        String id = randomId();
        String name = uniqueName("put");
        asUser().body(Map.of("properties", props(name, "de/txl"))).put("/registries/{id}", id)
                .then().statusCode(201)
                .header("Location", endsWith("/registries/" + id))
                .body("id", equalTo(id))
                .body("metadata.state", equalTo("BUSY"));
        get(id).statusCode(200).body("properties.name", equalTo(name));
    }

    @Test
    void putOnAnExistingIdReplacesItAndOmittedFieldsTakeTheirDefaults() {
        String name = uniqueName("replace");
        String id = create(props(name, "de/fra", "garbageCollectionSchedule",
                Map.of("days", List.of("Monday"), "time", "02:00:00Z"), "apiSubnetAllowList", List.of("10.0.0.0/8"),
                "features", SCANNING_OFF));
        awaitProvisioned(id);
        asUser().body(Map.of("properties", props(name, "de/fra"))).put("/registries/{id}", id)
                .then().statusCode(200)
                .body("metadata.state", equalTo("BUSY"))
                .body("properties.garbageCollectionSchedule.days", contains("Sunday"))
                .body("properties.garbageCollectionSchedule.time", equalTo("01:23:00+00:00"))
                .body("properties.apiSubnetAllowList", hasSize(0))
                .body("properties.features.vulnerabilityScanning.enabled", is(true));
        awaitProvisioned(id);
    }

    @Test
    void replacingCannotChangeNameOrLocation() {
        String name = uniqueName("fixed");
        String id = create(name);
        asUser().body(Map.of("properties", props(name + "x", "de/txl"))).put("/registries/{id}", id)
                .then().statusCode(400)
                .body("messages.errorCode", contains("FIELD_NOT_CHANGEABLE", "FIELD_NOT_CHANGEABLE"))
                .body("messages[0].message", containsString("properties.name"))
                .body("messages[1].message", containsString("properties.location"));
        get(id).body("properties.name", equalTo(name)).body("properties.location", equalTo("de/fra"));
    }

    @Test
    void vulnerabilityScanningCannotBeTurnedOffOnceEnabled() {
        String name = uniqueName("scan");
        String id = create(name);
        asUser().body(Map.of("properties", props(name, "de/fra", "features", SCANNING_OFF)))
                .put("/registries/{id}", id).then().statusCode(400)
                .body("messages[0].errorCode", equalTo("FIELD_NOT_CHANGEABLE"))
                .body("messages[0].message", containsString("vulnerabilityScanning"));
        asUser().body(Map.of("features", SCANNING_OFF)).patch("/registries/{id}", id).then().statusCode(400)
                .body("messages[0].message", containsString("features.vulnerabilityScanning.enabled"));
        get(id).body("properties.features.vulnerabilityScanning.enabled", is(true));
    }

    @Test
    void vulnerabilityScanningCanBeTurnedOn() {
        String name = uniqueName("scanon");
        String id = create(props(name, "de/fra", "features", SCANNING_OFF));
        asUser().body(Map.of("features", SCANNING_ON)).patch("/registries/{id}", id).then().statusCode(200)
                .body("properties.features.vulnerabilityScanning.enabled", is(true));
    }

    @Test
    void replacingADisabledScanKeepsItDisabledOnlyWhenAskedTo() {
        String name = uniqueName("scanput");
        String id = create(props(name, "de/fra", "features", SCANNING_OFF));
        asUser().body(Map.of("properties", props(name, "de/fra", "features", SCANNING_OFF)))
                .put("/registries/{id}", id).then().statusCode(200)
                .body("properties.features.vulnerabilityScanning.enabled", is(false));
    }

    @Test
    void patchChangesOnlyTheFieldsPresent() {
        String name = uniqueName("patch");
        String id = create(props(name, "de/fra", "apiSubnetAllowList", List.of("10.1.0.0/16")));
        asUser().body(Map.of("garbageCollectionSchedule", Map.of("days", List.of("Tuesday"), "time", "03:04:05Z")))
                .patch("/registries/{id}", id).then().statusCode(200)
                .body("properties.garbageCollectionSchedule.days", contains("Tuesday"))
                .body("properties.garbageCollectionSchedule.time", equalTo("03:04:05+00:00"))
                .body("properties.apiSubnetAllowList", contains("10.1.0.0/16"))
                .body("properties.name", equalTo(name));
        asUser().body(Map.of("apiSubnetAllowList", List.of("192.0.2.1"))).patch("/registries/{id}", id)
                .then().statusCode(200)
                .body("properties.apiSubnetAllowList", contains("192.0.2.1/32"))
                .body("properties.garbageCollectionSchedule.days", contains("Tuesday"));
    }

    @Test
    void aPatchInThePostsShapeOrWithAFieldItCannotChangeIsRefusedNotIgnored() {
        String id = create(props(uniqueName("strict"), "de/fra"));
        // wrapped as a POST is: answered 200 with nothing changed before (the third hostile sweep)
        asUser().body(Map.of("properties", Map.of("apiSubnetAllowList", List.of("10.0.0.1"))))
                .patch("/registries/{id}", id).then().statusCode(400)
                .body("messages[0].errorCode", equalTo("INVALID_REQUEST_BODY"))
                .body("messages[0].message", containsString("'properties' is not a field of this request"))
                .body("messages[0].message", containsString("apiSubnetAllowList"));
        asUser().body(Map.of("name", "renamed")).patch("/registries/{id}", id).then().statusCode(400)
                .body("messages[0].message", containsString("'name'"));
        get(id).body("properties.apiSubnetAllowList", hasSize(0));
    }

    @Test
    void aNameOrLocationLeftOutIsRequiredNotNull() {
        asUser().body(Map.of("properties", Map.of())).post("/registries").then().statusCode(400)
                .body("messages.message", org.hamcrest.Matchers.hasItem(
                        "properties.location: is required: one of de/fra, de/txl, es/vit, gb/lhr, fr/par, us/las, us/ewr, us/mci"))
                .body("messages.message", org.hamcrest.Matchers.hasItem(
                        org.hamcrest.Matchers.startsWith("properties.name: is required: it must be 3 to 63")));
    }

    @Test
    void aSemicolonInAPathIsRefusedNotCutOff() {
        String id = create(props(uniqueName("semi"), "de/fra"));
        // the router would have dropped ';x' and deleted the registry
        asUser().urlEncodingEnabled(false).delete("/registries/" + id + ";x").then().statusCode(400)
                .body("messages[0].message", containsString("';'"));
        get(id).statusCode(200);
    }

    @Test
    void patchWithAnEmptyListClearsIt() {
        String id = create(props(uniqueName("clear"), "de/fra", "apiSubnetAllowList", List.of("10.1.0.0/16")));
        asUser().body(Map.of("apiSubnetAllowList", List.of())).patch("/registries/{id}", id).then().statusCode(200)
                .body("properties.apiSubnetAllowList", hasSize(0));
        get(id).body("properties.apiSubnetAllowList", hasSize(0));
    }

    @Test
    void patchRecordsWhoChangedTheRegistry() {
        String id = create(uniqueName("who"));
        String created = get(id).extract().path("metadata.lastModifiedDate");
        asUser().body(Map.of("apiSubnetAllowList", List.of())).patch("/registries/{id}", id).then().statusCode(200)
                .body("metadata.lastModifiedBy", equalTo("tester"))
                .body("metadata.createdDate", equalTo(get(id).extract().path("metadata.createdDate")));
        String modified = get(id).extract().path("metadata.lastModifiedDate");
        // as instants: ISO strings of different precision ("…:21Z", "…:21.002Z") do not sort as text
        org.junit.jupiter.api.Assertions.assertFalse(
                java.time.Instant.parse(modified).isBefore(java.time.Instant.parse(created)));
    }

    @Test
    void patchValidatesWhatItChanges() {
        String id = create(uniqueName("patchbad"));
        asUser().body(Map.of("garbageCollectionSchedule", Map.of("days", List.of("Monday"), "time", "10:00:00+05:30")))
                .patch("/registries/{id}", id).then().statusCode(400)
                .body("messages[0].message", containsString("garbageCollectionSchedule.time"));
        asUser().body(Map.of("apiSubnetAllowList", List.of("nope"))).patch("/registries/{id}", id).then()
                .statusCode(400).body("messages[0].message", containsString("apiSubnetAllowList[0]: 'nope'"));
    }

    @Test
    void patchOnAMissingRegistryAnswers404() {
        asUser().body(Map.of("apiSubnetAllowList", List.of())).patch("/registries/{id}", randomId())
                .then().statusCode(404).body("messages[0].errorCode", equalTo("NOT_FOUND"));
    }

    @Test
    void deletingAnswers204AndThenTheRegistryIsGone() {
        String name = uniqueName("del");
        String id = create(name);
        asUser().delete("/registries/{id}", id).then().statusCode(204);
        get(id).statusCode(404).body("httpStatus", equalTo(404)).body("messages[0].errorCode", equalTo("NOT_FOUND"));
        asUser().head("/names/{name}", name).then().statusCode(404);
    }

    @Test
    void deletingTwiceAnswers404() {
        String id = create(uniqueName("deltwice"));
        asUser().delete("/registries/{id}", id).then().statusCode(204);
        asUser().delete("/registries/{id}", id).then().statusCode(404);
    }

    @Test
    void gettingAMissingRegistryAnswers404() {
        get(randomId()).statusCode(404).body("messages[0].message", containsString("does not exist"));
    }

    @Test
    void anIdThatIsNotAUuidAnswers400OnEveryOperation() {
        get("not-a-uuid").statusCode(400).body("messages[0].errorCode", equalTo("INVALID_PARAMETER"))
                .body("messages[0].message", containsString("registryId: 'not-a-uuid'"));
        asUser().delete("/registries/{id}", "123").then().statusCode(400);
        asUser().body(Map.of()).patch("/registries/{id}", "123").then().statusCode(400);
        asUser().body(Map.of("properties", props(uniqueName("x"), "de/fra"))).put("/registries/{id}", "123")
                .then().statusCode(400);
    }
}
