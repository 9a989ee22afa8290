package com.registryservice.content;

import static com.registryservice.support.Api.as;
import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Oci.pushImage;
import static com.registryservice.support.Oci.random;
import static com.registryservice.support.Oci.registry;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Oci.Image;
import com.registryservice.support.Oci.Registry;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The IONOS repositories and artifacts APIs over content pushed through the OCI API: fields, filter, each orderBy,
 * paging links, names with '/', and the absent scanner.
 */
@QuarkusTest
class ContentApiTest {

    /** Three repositories: a (1 image, pulled 3 times), team/b (2 images, never pulled), c (1 image, pulled last). */
    private static Registry populated() {
        Registry registry = registry();
        pushImage(registry.repo("a"), "1", List.of(random(100, 51)));
        pushImage(registry.repo("team/b"), "1", List.of(random(100, 52)));
        pushImage(registry.repo("team/b"), "2", List.of(random(100, 53)));
        Image c = pushImage(registry.repo("c"), "1", List.of(random(100, 54)));
        for (int i = 0; i < 3; i++) {
            asUser().get(registry.repo("a") + "/manifests/1").then().statusCode(200);
        }
        asUser().get(registry.repo("c") + "/manifests/" + c.digest()).then().statusCode(200);
        // pulls are written once a second: wait until they are
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> asUser()
                .get("/registries/{id}/repositories/c", registry.id()).then().body("metadata.pullCount", equalTo(1)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> asUser()
                .get("/registries/{id}/repositories/a", registry.id()).then().body("metadata.pullCount", equalTo(3)));
        return registry;
    }

    private static List<String> names(Registry registry, String orderBy) {
        return asUser().queryParam("orderBy", orderBy).get("/registries/{id}/repositories", registry.id()).then()
                .statusCode(200).extract().path("items.properties.name");
    }

    @Test
    void repositoriesAreListedWithIonosFieldsInEachOrder() {
        Registry registry = populated();
        asUser().get("/registries/{id}/repositories/team/b", registry.id()).then().statusCode(200)
                .body("id", equalTo("team/b")).body("type", equalTo("repository"))
                .body("properties.name", equalTo("team/b")).body("metadata.artifactCount", equalTo(2))
                .body("metadata.pushCount", equalTo(2)).body("metadata.pullCount", equalTo(0))
                .body("metadata", not(hasKey("lastPulledAt"))).body("metadata", not(hasKey("lastSeverity")));
        asUser().urlEncodingEnabled(false).get("/registries/" + registry.id() + "/repositories/team%2Fb").then()
                .statusCode(200).body("properties.name", equalTo("team/b"));
        assertEquals(List.of("a", "c", "team/b"), names(registry, "name"));
        assertEquals(List.of("team/b", "c", "a"), names(registry, "-name"));
        assertEquals(List.of("a", "c", "team/b"), names(registry, "-pullCount"));
        assertEquals(List.of("team/b", "c", "a"), names(registry, "pullCount"), "never pulled (0) first");
        assertEquals(List.of("team/b", "a", "c"), names(registry, "-pushCount"));
        assertEquals(List.of("team/b", "a", "c"), names(registry, "-artifactCount"));
        assertEquals(List.of("a", "c", "team/b"), names(registry, "lastPull"), "never pulled last");
        assertEquals(List.of("c", "a", "team/b"), names(registry, "-lastPull"));
        assertEquals("c", names(registry, "-lastPush").get(0), "pushed last");
        assertEquals(names(registry, "-lastPush"), asUser().get("/registries/{id}/repositories", registry.id()).then()
                .statusCode(200).extract().path("items.properties.name"), "the default order");
        asUser().queryParam("filter.name", "team").get("/registries/{id}/repositories", registry.id()).then()
                .statusCode(200).body("total", equalTo(1)).body("items.properties.name", contains("team/b"));
        asUser().queryParam("orderBy", "size").get("/registries/{id}/repositories", registry.id()).then()
                .statusCode(400).body("messages[0].errorCode", equalTo("INVALID_PARAMETER"))
                .body("messages[0].message", containsString("orderBy"));
    }

    @Test
    void pagesLinkToTheirNeighboursKeepingFilterAndOrder() {
        Registry registry = populated();
        String next = asUser().queryParam("limit", 2).queryParam("orderBy", "name")
                .get("/registries/{id}/repositories", registry.id()).then().statusCode(200)
                .body("items.properties.name", contains("a", "c")).body("_links.prev", nullValue())
                .extract().path("_links.next");
        assertTrue(next.contains("orderBy=name") && next.contains("offset=2"), next);
        asUser().urlEncodingEnabled(false).get(next.substring(next.indexOf("/registries"))).then().statusCode(200)
                .body("items.properties.name", contains("team/b")).body("_links.next", nullValue())
                .body("_links.prev", containsString("offset=0"));
    }

    @Test
    void artifactsAreListedPerRegistryAndPerRepositoryWithTagsAndCounts() {
        Registry registry = populated();
        asUser().get("/registries/{id}/artifacts", registry.id()).then().statusCode(200).body("total", equalTo(4))
                .body("items[0].properties.repositoryName", equalTo("a")) // the default: -pullCount
                .body("items[0].metadata.pullCount", equalTo(3)).body("items[0].type", equalTo("artifact"));
        String digest = asUser().get("/registries/{id}/repositories/team/b/artifacts", registry.id()).then()
                .statusCode(200).body("total", equalTo(2)).body("items[0].properties.tags", contains("2"))
                .extract().path("items[0].id");
        asUser().get("/registries/{id}/repositories/team/b/artifacts/{digest}", registry.id(), digest).then()
                .statusCode(200).body("properties.digest", equalTo(digest))
                .body("properties.mediaType", equalTo("application/vnd.oci.image.manifest.v1+json"))
                .body("metadata.pushCount", equalTo(1)).body("metadata", not(hasKey("vulnTotalCount")));
        asUser().get("/registries/{id}/repositories/team/b/artifacts/{digest}/vulnerabilities", registry.id(), digest)
                .then().statusCode(404).body("messages[0].message", containsString("no vulnerability scanner"));
        asUser().get("/registries/{id}/repositories/team/b/artifacts/{digest}", registry.id(), "sha256:xyz").then()
                .statusCode(400).body("messages[0].errorCode", equalTo("INVALID_PARAMETER"))
                .body("messages[0].message", containsString("digest: 'sha256:xyz' is not a sha256 digest"));
        asUser().get("/registries/{id}/repositories/team/b/artifacts/{digest}", registry.id(), "sha256:"
                + "0".repeat(64)).then().statusCode(404);
        asUser().queryParam("orderBy", "-vulnTotalCount").get("/registries/{id}/artifacts", registry.id()).then()
                .statusCode(400).body("messages[0].message", containsString("scanner"));
        asUser().queryParam("orderBy", "lastPush").get("/registries/{id}/artifacts", registry.id()).then()
                .statusCode(200).body("items.properties.repositoryName", contains("a", "team/b", "team/b", "c"));
        asUser().queryParam("orderBy", "-lastPull").get("/registries/{id}/artifacts", registry.id()).then()
                .statusCode(200).body("items[0].properties.repositoryName", equalTo("c"))
                .body("items[1].properties.repositoryName", equalTo("a"));
        asUser().queryParam("orderBy", "pullCount").get("/registries/{id}/artifacts", registry.id()).then()
                .statusCode(200).body("items[3].properties.repositoryName", equalTo("a"));
        asUser().queryParam("orderBy", "-pushCount").queryParam("limit", 1).get("/registries/{id}/artifacts",
                registry.id()).then().statusCode(200).body("items[0].metadata.pushCount", equalTo(1))
                .body("total", equalTo(4)).body("_links.next", containsString("offset=1"));
        asUser().get("/registries/{id}/repositories/none/artifacts", registry.id()).then().statusCode(404);
    }

    @Test
    void anotherContractSeesNoRepositoriesOrArtifactsAndADeletedRepositoryIsGone() {
        Registry registry = populated();
        as("stranger").get("/registries/{id}/repositories", registry.id()).then().statusCode(404);
        as("stranger").get("/registries/{id}/artifacts", registry.id()).then().statusCode(404);
        asUser().delete("/registries/{id}/repositories/team/b", registry.id()).then().statusCode(204);
        asUser().get("/registries/{id}/repositories/team/b", registry.id()).then().statusCode(404);
        asUser().get(registry.repo("team/b") + "/tags/list").then().statusCode(404);
    }

    @Test
    void vulnerabilityFiltersAreRefusedAsThereIsNoScanner() {
        Registry registry = registry();
        pushImage(registry.repo("team/app"), "1", List.of(random(100, 55)));
        for (String path : List.of("/registries/{id}/artifacts", "/registries/{id}/repositories/team/app/artifacts")) {
            asUser().queryParam("filter.severity", "HIGH").get(path, registry.id()).then().statusCode(400)
                    .body("messages[0].errorCode", equalTo("INVALID_PARAMETER"))
                    .body("messages[0].message", containsString("filter.severity"))
                    .body("messages[0].message", containsString("no vulnerability scanner"));
            asUser().queryParam("filter.vulnerabilityId", "CVE-2024-3094").get(path, registry.id()).then()
                    .statusCode(400).body("messages[0].message", containsString("filter.vulnerabilityId"));
        }
        asUser().queryParam("filter.vulnerabilitySeverity", "CRITICAL").get("/registries/{id}/repositories",
                registry.id()).then().statusCode(400).body("messages[0].errorCode", equalTo("INVALID_PARAMETER"))
                .body("messages[0].message", containsString("filter.vulnerabilitySeverity"))
                .body("messages[0].message", containsString("no vulnerability scanner"));
        asUser().get("/registries/{id}/repositories", registry.id()).then().statusCode(200).body("total", equalTo(1));
    }
}
