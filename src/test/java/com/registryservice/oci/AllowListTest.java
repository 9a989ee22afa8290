package com.registryservice.oci;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.awaitProvisioned;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Raw;
import com.registryservice.support.Raw.Response;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A registry's apiSubnetAllowList on the data plane: clients bound to different loopback addresses, and a "load
 * balancer" at 127.0.0.3 (a trusted proxy in the test profile) forwarding IPv6 clients.
 */
@QuarkusTest
class AllowListTest {

    /** A registry with the allow list; answers the path of a repository in it. */
    private static String registry(List<String> allowList) {
        String name = uniqueName("allow");
        awaitProvisioned(create(Map.of("name", name, "location", "de/fra", "apiSubnetAllowList", allowList)));
        return "/v2/" + name + "/app/tags/list";
    }

    /** Allowed: the request reaches the repository (which does not exist: 404 NAME_UNKNOWN), not a 403. */
    private static void assertAllowed(Response response) {
        assertEquals(404, response.status(), response.body());
        assertTrue(response.body().contains("NAME_UNKNOWN"), response.body());
    }

    private static void assertDenied(Response response) {
        assertEquals(403, response.status(), response.body());
        assertTrue(response.body().contains("DENIED") && response.body().contains("apiSubnetAllowList"),
                response.body());
    }

    @Test
    void anAddressInTheListIsServedAndAnotherIsDenied() {
        String path = registry(List.of("127.0.0.2/32"));
        assertAllowed(Raw.get("127.0.0.2", path));
        assertDenied(Raw.get("127.0.0.1", path));
    }

    @Test
    void theDenyAllEntryDeniesEveryoneAndAnEmptyListNoOne() {
        Response denied = Raw.get("127.0.0.2", registry(List.of("0.0.0.0/0", "127.0.0.0/8")));
        assertDenied(denied);
        // not "127.0.0.2 is not in them": it is, and the deny-all entry is why
        assertTrue(denied.body().contains("0.0.0.0/0") && !denied.body().contains("is not in them"), denied.body());
        assertAllowed(Raw.get("127.0.0.2", registry(List.of())));
    }

    @Test
    void anIpv4MappedEntryIsStoredAsTheIpv4AddressItMeansAndMatchesIpv4Clients() {
        String name = uniqueName("mapped");
        String id = create(Map.of("name", name, "location", "de/fra", "apiSubnetAllowList",
                List.of("::ffff:127.0.0.2", "::ffff:10.0.0.0/104")));
        com.registryservice.support.Api.get(id).body("properties.apiSubnetAllowList",
                org.hamcrest.Matchers.contains("127.0.0.2/32", "10.0.0.0/8"));
        awaitProvisioned(id);
        assertAllowed(Raw.get("127.0.0.2", "/v2/" + name + "/app/tags/list"));
        // every IPv4 client, as a mapped prefix, would become 0.0.0.0/0, which denies all: refused, saying so
        com.registryservice.support.Api.asUser().body(Map.of("properties", Map.of("name", uniqueName("mapped-all"),
                "location", "de/fra", "apiSubnetAllowList", List.of("::ffff:0:0/96")))).post("/registries").then()
                .statusCode(400).body("messages[0].message", org.hamcrest.Matchers.containsString("every IPv4 client"));
    }

    @Test
    void ipv6ClientsAreMatchedThroughATrustedProxyAndForwardedHeadersOfOthersCountForNothing() {
        String path = registry(List.of("2001:db8::/32"));
        assertAllowed(Raw.send("127.0.0.3", "GET", path, Map.of("X-Forwarded-For", "2001:db8::7")));
        assertDenied(Raw.send("127.0.0.3", "GET", path, Map.of("X-Forwarded-For", "2001:db9::1")));
        // a client claiming an allowed address, but not through a trusted proxy
        assertDenied(Raw.send("127.0.0.1", "GET", path, Map.of("X-Forwarded-For", "2001:db8::7")));
        // a proxy chain: the nearest untrusted hop is the client, whatever the hops before it claim
        assertDenied(Raw.send("127.0.0.3", "GET", path, Map.of("X-Forwarded-For", "2001:db8::7, 203.0.113.9")));
    }

    @Test
    void theBaseAtARegistrysHostnameIsDeniedToo() {
        String name = uniqueName("allow");
        awaitProvisioned(create(Map.of("name", name, "location", "de/fra", "apiSubnetAllowList",
                List.of("127.0.0.2/32"))));
        Map<String, String> host = Map.of("Host", name + ".cr.test.example");
        // docker login must not say it succeeded where every other request of this client is denied
        assertDenied(Raw.send("127.0.0.1", "GET", "/v2/", host));
        Response allowed = Raw.send("127.0.0.2", "GET", "/v2/", host);
        assertEquals(200, allowed.status(), allowed.body());
    }

    @Test
    void aChangeOfTheListTakesEffectAtOnce() {
        String name = uniqueName("allow");
        String id = create(Map.of("name", name, "location", "de/fra", "apiSubnetAllowList", List.of("127.0.0.2/32")));
        awaitProvisioned(id);
        String path = "/v2/" + name + "/app/tags/list";
        assertDenied(Raw.get("127.0.0.1", path));
        asUser().body(Map.of("apiSubnetAllowList", List.of("127.0.0.1/32"))).patch("/registries/{id}", id).then()
                .statusCode(200);
        assertAllowed(Raw.get("127.0.0.1", path));
        assertDenied(Raw.get("127.0.0.2", path));
    }
}
