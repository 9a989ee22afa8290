package com.registryservice.registry;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.awaitProvisioned;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.get;
import static com.registryservice.support.Api.uniqueName;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.registryservice.support.Concurrently;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CreateRegistryTest {

    private static final String ISO_UTC = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$";

    private static Map<String, Object> properties(String name, Object... keyValues) {
        Map<String, Object> properties = new HashMap<>(Map.of("name", name, "location", "de/fra"));
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void creatingAnswers201WithLocationAndABusyRegistry() {
        String name = uniqueName("create");
        String location = asUser().body(Map.of("properties", properties(name))).post("/registries")
                .then().statusCode(201)
                .contentType("application/json")
                .body("id", matchesPattern("^[0-9a-f-]{36}$"))
                .body("type", equalTo("registry"))
                .body("metadata.state", equalTo("BUSY"))
                .body("metadata.createdBy", equalTo("tester"))
                .body("metadata.createdByUserId", notNullValue())
                .body("metadata.lastModifiedBy", equalTo("tester"))
                .body("metadata.createdDate", matchesPattern(ISO_UTC))
                .body("metadata.lastModifiedDate", matchesPattern(ISO_UTC))
                .body("properties.name", equalTo(name))
                .body("properties.location", equalTo("de/fra"))
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertEquals(location, get(id).extract().path("href"));
        get(id).statusCode(200).body("id", equalTo(id));
    }

    @Test
    void provisioningMovesTheRegistryToRunningWithItsHostname() {
        String name = uniqueName("prov");
        String id = create(name);
        assertEquals("RUNNING", awaitProvisioned(id));
        get(id).body("properties.hostname", equalTo(name + ".cr.test.example"));
    }

    @Test
    void omittedOptionalFieldsTakeTheirDefaults() {
        asUser().body(Map.of("properties", properties(uniqueName("defaults")))).post("/registries")
                .then().statusCode(201)
                .body("properties.garbageCollectionSchedule.days", contains("Sunday"))
                .body("properties.garbageCollectionSchedule.time", equalTo("01:23:00+00:00"))
                .body("properties.features.vulnerabilityScanning.enabled", is(true))
                .body("properties.apiSubnetAllowList", hasSize(0))
                .body("properties.storageUsage.bytes", equalTo(0))
                .body("properties.hostname", nullValue());
    }

    @Test
    void aScheduleIsStoredWithDaysInWeekOrderAndTheTimeNormalised() {
        Map<String, Object> schedule = Map.of("days", List.of("Sunday", "Monday", "Wednesday"), "time", "04:05:06Z");
        asUser().body(Map.of("properties", properties(uniqueName("sched"), "garbageCollectionSchedule", schedule)))
                .post("/registries").then().statusCode(201)
                .body("properties.garbageCollectionSchedule.days", contains("Monday", "Wednesday", "Sunday"))
                .body("properties.garbageCollectionSchedule.time", equalTo("04:05:06+00:00"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "01:23:00+00:00", "01:23:00Z", "01:23:00-00:00", "01:23:00.000Z" })
    void utcTimesAreAccepted(String time) {
        Map<String, Object> schedule = Map.of("days", List.of("Friday"), "time", time);
        asUser().body(Map.of("properties", properties(uniqueName("utc"), "garbageCollectionSchedule", schedule)))
                .post("/registries").then().statusCode(201)
                .body("properties.garbageCollectionSchedule.time", equalTo("01:23:00+00:00"));
    }

    @Test
    void aTimeWithAnotherOffsetIsRefusedSayingTheScheduleIsUtc() {
        Map<String, Object> schedule = Map.of("days", List.of("Friday"), "time", "01:23:00+02:00");
        asUser().body(Map.of("properties", properties(uniqueName("tz"), "garbageCollectionSchedule", schedule)))
                .post("/registries").then().statusCode(400)
                .body("httpStatus", equalTo(400))
                .body("messages[0].errorCode", equalTo("INVALID_FIELD"))
                .body("messages[0].message", containsString("properties.garbageCollectionSchedule.time"))
                .body("messages[0].message", containsString("+02:00"))
                .body("messages[0].message", containsString("UTC"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "1:23:00Z", "25:00:00Z", "01:23Z", "01:23", "noon", "01:23:00.5Z", "01:23:00+0000" })
    void malformedTimesAreRefusedNamingTheValue(String time) {
        Map<String, Object> schedule = Map.of("days", List.of("Friday"), "time", time);
        asUser().body(Map.of("properties", properties(uniqueName("time"), "garbageCollectionSchedule", schedule)))
                .post("/registries").then().statusCode(400)
                .body("messages.message", hasItem(containsString("'" + time + "'")));
    }

    @Test
    void emptyOrRepeatedDaysAreRefused() {
        asUser().body(Map.of("properties", properties(uniqueName("days"), "garbageCollectionSchedule",
                Map.of("days", List.of(), "time", "01:00:00Z")))).post("/registries")
                .then().statusCode(400)
                .body("messages[0].message", containsString("properties.garbageCollectionSchedule.days"));
        asUser().body(Map.of("properties", properties(uniqueName("days"), "garbageCollectionSchedule",
                Map.of("days", List.of("Monday", "Monday"), "time", "01:00:00Z")))).post("/registries")
                .then().statusCode(400)
                .body("messages[0].message", containsString("Monday more than once"));
    }

    @Test
    void anUnknownDayIsRefusedListingTheDays() {
        asUser().body(Map.of("properties", properties(uniqueName("days"), "garbageCollectionSchedule",
                Map.of("days", List.of("Funday"), "time", "01:00:00Z")))).post("/registries")
                .then().statusCode(400)
                .body("messages[0].errorCode", equalTo("INVALID_REQUEST_BODY"))
                .body("messages[0].message", containsString("properties.garbageCollectionSchedule.days[0]"))
                .body("messages[0].message", containsString("'Funday' is not one of Monday"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "ab", "1abc", "-abc", "abc-", "Abc", "ab_c", "ab.c", "a b c",
            "a123456789012345678901234567890123456789012345678901234567890123" })
    void invalidNamesAreRefusedNamingTheFieldAndValue(String name) {
        asUser().body(Map.of("properties", properties(name))).post("/registries")
                .then().statusCode(400)
                .body("messages[0].errorCode", equalTo("INVALID_FIELD"))
                .body("messages[0].message", containsString("properties.name"))
                .body("messages[0].message", containsString("'" + name + "'"));
    }

    @Test
    void aNameOfSixtyThreeCharactersIsAccepted() {
        String name = uniqueName("n");
        name = name + "x".repeat(63 - name.length());
        asUser().body(Map.of("properties", properties(name))).post("/registries").then().statusCode(201);
    }

    @Test
    void anUnknownLocationIsRefusedListingTheLocations() {
        Map<String, Object> properties = properties(uniqueName("loc"), "location", "mars/base");
        asUser().body(Map.of("properties", properties)).post("/registries")
                .then().statusCode(400)
                .body("messages[0].message", containsString("properties.location: 'mars/base'"))
                .body("messages[0].message", containsString("de/fra"));
    }

    @Test
    void missingRequiredFieldsAreAllNamed() {
        asUser().body(Map.of("properties", Map.of())).post("/registries")
                .then().statusCode(400)
                .body("messages.message", hasItem(containsString("properties.name")))
                .body("messages.message", hasItem(containsString("properties.location")));
        asUser().body(Map.of()).post("/registries")
                .then().statusCode(400)
                .body("messages[0].message", containsString("properties"));
    }

    @Test
    void theSubnetAllowListIsStoredCanonicalWithoutDuplicates() {
        List<String> given = List.of("203.0.113.7", "198.51.100.77/24", "2001:DB8:0:0:0:0:0:1", "203.0.113.7/32",
                "2001:db8::/32", "0.0.0.0/0");
        asUser().body(Map.of("properties", properties(uniqueName("cidr"), "apiSubnetAllowList", given)))
                .post("/registries").then().statusCode(201)
                .body("properties.apiSubnetAllowList", contains("203.0.113.7/32", "198.51.100.0/24",
                        "2001:db8::1/128", "2001:db8::/32", "0.0.0.0/0"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "example.com", "1.2.3", "256.1.1.1", "10.0.0.0/33", "2001:db8::/129", "1.2.3.4-5",
            "10.*.0.0", "", "01.2.3.4", "1.2.3.4/08", "2001:db8::/032", "1.2.3.4\u0000", "\n1.2.3.4", "1.2.3.4\t" })
    void entriesThatAreNotAddressesOrCidrsAreRefusedNamingTheEntry(String entry) {
        asUser().body(Map.of("properties", properties(uniqueName("cidr"), "apiSubnetAllowList", List.of("10.0.0.1", entry))))
                .post("/registries").then().statusCode(400)
                .body("messages[0].message", containsString("properties.apiSubnetAllowList[1]"))
                .body("messages[0].message", containsString("'" + entry + "'"));
    }

    @Test
    void atMostTwentyFiveSubnetsAreAllowed() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            many.add("10.0." + i + ".0/24");
        }
        asUser().body(Map.of("properties", properties(uniqueName("cidr"), "apiSubnetAllowList", many)))
                .post("/registries").then().statusCode(400)
                .body("messages[0].message", containsString("at most 25"));
        asUser().body(Map.of("properties", properties(uniqueName("cidr"), "apiSubnetAllowList", many.subList(0, 25))))
                .post("/registries").then().statusCode(201)
                .body("properties.apiSubnetAllowList", hasSize(25));
    }

    @Test
    void vulnerabilityScanningCanBeCreatedDisabled() {
        Map<String, Object> features = Map.of("vulnerabilityScanning", Map.of("enabled", false));
        asUser().body(Map.of("properties", properties(uniqueName("vs"), "features", features)))
                .post("/registries").then().statusCode(201)
                .body("properties.features.vulnerabilityScanning.enabled", is(false));
    }

    @Test
    void aTakenNameAnswers409() {
        String name = uniqueName("taken");
        create(name);
        asUser().body(Map.of("properties", properties(name, "location", "de/txl"))).post("/registries")
                .then().statusCode(409)
                .body("httpStatus", equalTo(409))
                .body("messages[0].errorCode", equalTo("NAME_TAKEN"))
                .body("messages[0].message", containsString("'" + name + "'"));
    }

    @Test
    void concurrentCreatesOfOneNameMakeExactlyOneRegistry() {
        String name = uniqueName("race");
        int racers = 8;
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String location = i % 2 == 0 ? "de/fra" : "us/las";
            bodies.add("{\"properties\":{\"name\":\"" + name + "\",\"location\":\"" + location + "\"}}");
        }
        List<Integer> statuses = Concurrently.post("/registries", bodies);
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "statuses: " + statuses);
        assertEquals(racers - 1, statuses.stream().filter(s -> s == 409).count(), "statuses: " + statuses);
        asUser().queryParam("filter.name", name).get("/registries").then()
                .body("items", hasSize(1)).body("items[0].properties.name", equalTo(name));
    }

    @Test
    void theLocationHeaderEndsWithTheRegistryId() {
        var response = asUser().body(Map.of("properties", properties(uniqueName("loc")))).post("/registries");
        String id = response.then().extract().path("id");
        response.then().header("Location", endsWith("/registries/" + id));
    }

    @Test
    void aNullDayIsA400NamingItNotA500() {
        java.util.List<Object> days = new java.util.ArrayList<>();
        days.add(null);
        java.util.Map<String, Object> schedule = new java.util.HashMap<>();
        schedule.put("days", days);
        schedule.put("time", "01:00:00Z");
        asUser().body(Map.of("properties", properties(uniqueName("nullday"), "garbageCollectionSchedule", schedule)))
                .post("/registries").then().statusCode(400)
                .body("messages.message", hasItem(containsString("garbageCollectionSchedule.days[0]")));
    }

    @Test
    void aHugeListOfDaysIsOneShortAnswerNotAMessagePerEntry() {
        java.util.List<String> days = java.util.Collections.nCopies(100_000, "Monday");
        String answer = asUser().body(Map.of("properties", properties(uniqueName("many"), "garbageCollectionSchedule",
                Map.of("days", days, "time", "01:00:00Z")))).post("/registries").then().statusCode(400)
                .body("messages.message", hasItem(containsString("100000 entries"))).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(answer.length() < 64 * 1024, "answer of " + answer.length() + " bytes");
    }
}
