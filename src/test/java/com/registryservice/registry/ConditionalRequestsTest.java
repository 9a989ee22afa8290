package com.registryservice.registry;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.awaitProvisioned;
import static com.registryservice.support.Api.body;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.get;
import static com.registryservice.support.Api.randomId;
import static com.registryservice.support.Api.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Concurrently;

import io.quarkus.test.junit.QuarkusTest;

/** ETags, If-None-Match and If-Match on registries: no client overwrites another's change without knowing it. */
@QuarkusTest
class ConditionalRequestsTest {

    private static final Map<String, Object> ALLOW_LIST = Map.of("apiSubnetAllowList", List.of("192.0.2.0/24"));

    /** A provisioned registry (provisioning changes its state, and so its ETag) and its current ETag. */
    private static String[] provisioned(String prefix) {
        String id = create(uniqueName(prefix));
        awaitProvisioned(id);
        return new String[] { id, etag(id) };
    }

    private static String etag(String id) {
        return get(id).statusCode(200).header("ETag", notNullValue()).extract().header("ETag");
    }

    @Test
    void everyResponseWithARegistryCarriesItsETag() {
        String name = uniqueName("tags");
        String created = asUser().body(body(name, "de/fra")).post("/registries").then().statusCode(201)
                .header("ETag", notNullValue()).extract().header("ETag");
        String id = asUser().get("/registries?filter.name=" + name).then().extract().path("items[0].id");
        awaitProvisioned(id);
        String read = etag(id);
        assertNotEquals(created, read, "provisioning changed the registry, so its tag");
        String patched = asUser().body(ALLOW_LIST).patch("/registries/{id}", id).then().statusCode(200)
                .extract().header("ETag");
        assertNotEquals(read, patched);
        assertEquals(patched, etag(id), "the tag of the PATCH answer is the tag of what is stored");
    }

    @Test
    void getWithTheCurrentTagInIfNoneMatchAnswers304WithoutABody() {
        String[] registry = provisioned("inm");
        asUser().header("If-None-Match", registry[1]).get("/registries/{id}", registry[0]).then().statusCode(304)
                .header("ETag", equalTo(registry[1])).body(emptyString());
        asUser().header("If-None-Match", "W/" + registry[1]).get("/registries/{id}", registry[0]).then()
                .statusCode(304);
        asUser().header("If-None-Match", "\"other\", " + registry[1]).get("/registries/{id}", registry[0]).then()
                .statusCode(304);
        asUser().header("If-None-Match", "*").get("/registries/{id}", registry[0]).then().statusCode(304);
    }

    @Test
    void getWithAnOldTagInIfNoneMatchAnswersTheRegistry() {
        String[] registry = provisioned("inm-old");
        asUser().body(ALLOW_LIST).patch("/registries/{id}", registry[0]).then().statusCode(200);
        asUser().header("If-None-Match", registry[1]).get("/registries/{id}", registry[0]).then().statusCode(200)
                .header("ETag", not(equalTo(registry[1])))
                .body("properties.apiSubnetAllowList[0]", equalTo("192.0.2.0/24"));
    }

    @Test
    void patchWithTheCurrentTagApplies() {
        String[] registry = provisioned("im-ok");
        asUser().header("If-Match", registry[1]).body(ALLOW_LIST).patch("/registries/{id}", registry[0]).then()
                .statusCode(200).body("properties.apiSubnetAllowList[0]", equalTo("192.0.2.0/24"));
    }

    @Test
    void putWithOneOfTheListedTagsCurrentReplaces() {
        String[] registry = provisioned("im-put");
        String name = get(registry[0]).extract().path("properties.name");
        asUser().header("If-Match", "\"0-0\", " + registry[1]).body(body(name, "de/fra"))
                .put("/registries/{id}", registry[0]).then().statusCode(200)
                .header("ETag", not(equalTo(registry[1])));
    }

    @Test
    void patchPutAndDeleteWithAStaleTagAnswer412AndChangeNothing() {
        String[] registry = provisioned("im-stale");
        String id = registry[0];
        asUser().body(ALLOW_LIST).patch("/registries/{id}", id).then().statusCode(200);
        String current = etag(id);

        asUser().header("If-Match", registry[1]).body(Map.of("apiSubnetAllowList", List.of("10.0.0.0/8")))
                .patch("/registries/{id}", id).then().statusCode(412)
                .body("httpStatus", equalTo(412))
                .body("messages[0].errorCode", equalTo("PRECONDITION_FAILED"))
                .body("messages[0].message", containsString(current));
        String name = get(id).extract().path("properties.name");
        asUser().header("If-Match", registry[1]).body(body(name, "de/fra")).put("/registries/{id}", id).then()
                .statusCode(412).body("messages[0].errorCode", equalTo("PRECONDITION_FAILED"));
        asUser().header("If-Match", registry[1]).delete("/registries/{id}", id).then().statusCode(412);

        assertEquals(current, etag(id), "nothing changed");
        asUser().header("If-Match", current).delete("/registries/{id}", id).then().statusCode(204);
        get(id).statusCode(404);
    }

    @Test
    void ifMatchStarNeedsAnExistingRegistry() {
        String[] registry = provisioned("im-star");
        asUser().header("If-Match", "*").body(ALLOW_LIST).patch("/registries/{id}", registry[0]).then()
                .statusCode(200);
        String id = randomId();
        asUser().header("If-Match", "*").body(body(uniqueName("im-star-new"), "de/fra")).put("/registries/{id}", id)
                .then().statusCode(412).body("messages[0].errorCode", equalTo("PRECONDITION_FAILED"));
        get(id).statusCode(404);
    }

    @Test
    void ifNoneMatchStarOnAPutCreatesOnlyAndNeverReplaces() {
        String id = randomId();
        String name = uniqueName("inm-star");
        asUser().header("If-None-Match", "*").body(body(name, "de/fra")).put("/registries/{id}", id).then()
                .statusCode(201);
        awaitProvisioned(id); // (provisioning changes the registry, and so its tag)
        String tag = etag(id);
        // it exists now: replaced before (the third hostile sweep), a 412 now, and nothing changes
        asUser().header("If-None-Match", "*").body(body(name, "de/fra")).put("/registries/{id}", id).then()
                .statusCode(412).body("messages[0].errorCode", equalTo("PRECONDITION_FAILED"))
                .body("messages[0].message", containsString("If-None-Match"));
        assertEquals(tag, etag(id));
    }

    @Test
    void withoutIfMatchChangesApplyAsBefore() {
        String[] registry = provisioned("no-im");
        asUser().body(ALLOW_LIST).patch("/registries/{id}", registry[0]).then().statusCode(200);
        asUser().delete("/registries/{id}", registry[0]).then().statusCode(204);
    }

    @Test
    void aRegistryCreatedAgainWithTheSameIdHasAnotherTag() {
        String id = randomId();
        String name = uniqueName("again");
        String first = asUser().body(body(name, "de/fra")).put("/registries/{id}", id).then().statusCode(201)
                .extract().header("ETag");
        asUser().delete("/registries/{id}", id).then().statusCode(204);
        String second = asUser().body(body(name, "de/fra")).put("/registries/{id}", id).then().statusCode(201)
                .extract().header("ETag");
        assertNotEquals(first, second);
    }

    @Test
    void twoConcurrentPatchesWithTheSameTagOneWinsOne412() {
        String[] registry = provisioned("race");
        List<Integer> statuses = Concurrently.send("PATCH", "/registries/" + registry[0],
                List.of("{\"apiSubnetAllowList\": [\"192.0.2.0/24\"]}",
                        "{\"apiSubnetAllowList\": [\"10.0.0.0/8\"]}"),
                Map.of("If-Match", registry[1]));
        assertEquals(List.of(200, 412), statuses.stream().sorted().toList(), "statuses: " + statuses);
    }

    @Test
    void aMalformedConditionIsA400NamingTheHeader() {
        String[] registry = provisioned("bad-im");
        asUser().header("If-Match", "no-quotes").body(ALLOW_LIST).patch("/registries/{id}", registry[0]).then()
                .statusCode(400)
                .body("messages[0].errorCode", equalTo("INVALID_PARAMETER"))
                .body("messages[0].message", containsString("If-Match"));
        asUser().header("If-None-Match", "\"a\" \"b\"").get("/registries/{id}", registry[0]).then().statusCode(400)
                .body("messages[0].message", containsString("If-None-Match"));
    }
}
