package com.registryservice.api;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Pagination tokens show nothing of what they stand for, and run out. */
@QuarkusTest
class PaginationTokensTest {

    @Inject
    PaginationTokens tokens;

    @Test
    void aTokenRevealsNeitherTheRegistryNamesNorTheFilter() {
        String prefix = uniqueName("opaque");
        create(prefix + "-a");
        create(prefix + "-b");
        String token = asUser().queryParam("filter.name", prefix).queryParam("limit", 1).get("/registries").then()
                .statusCode(200).extract().path("pagination.token");
        String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.ISO_8859_1);
        assertFalse(decoded.contains(prefix), "the token shows the filter or a registry name: " + decoded);
        assertFalse(decoded.contains("1001"), "the token shows the contract: " + decoded);
    }

    @Test
    void aTokenOlderThanItsLifetimeIsRefusedSayingSo() {
        String old = tokens.encode(new Page.Cursor(true, "any"), "any", Instant.now().minus(Duration.ofHours(25)))
                .await().atMost(Duration.ofSeconds(10));
        asUser().queryParam("pagination.token", old).get("/registries").then().statusCode(400)
                .body("messages[0].errorCode", equalTo("INVALID_PAGINATION_TOKEN"))
                .body("messages[0].message", containsString("expired"));
    }
}
