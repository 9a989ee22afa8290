package com.registryservice.registry;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class ListRegistriesTest {

    /** Creates registries named {@code prefix-00} … in name order, and answers their names. */
    private static List<String> createSeries(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("%s-%02d", prefix, i))
                .peek(name -> create(name)).toList();
    }

    private static JsonPath page(String filter, int limit, String token) {
        var request = asUser().queryParam("filter.name", filter).queryParam("limit", limit);
        if (token != null) {
            request.queryParam("pagination.token", token);
        }
        return request.get("/registries").then().statusCode(200).extract().jsonPath();
    }

    private static List<String> names(JsonPath page) {
        return page.getList("items.properties.name");
    }

    @Test
    void theCollectionHasTheDocumentedEnvelope() {
        String prefix = uniqueName("env");
        createSeries(prefix, 1);
        asUser().queryParam("filter.name", prefix).get("/registries").then().statusCode(200)
                .body("id", equalTo("registries"))
                .body("type", equalTo("collection"))
                .body("href", startsWith("http"))
                .body("items", hasSize(1))
                .body("items[0].type", equalTo("registry"))
                .body("pagination.limit", equalTo(100))
                .body("pagination.token", nullValue())
                .body("_links.self", containsString("/registries"))
                .body("_links.next", nullValue());
    }

    @Test
    void pagesFollowEachOtherInNameOrderUntilTheLastHasNoToken() {
        String prefix = uniqueName("pages");
        List<String> all = createSeries(prefix, 5);
        JsonPath first = page(prefix, 2, null);
        assertEquals(all.subList(0, 2), names(first));
        String token = first.getString("pagination.token");
        assertNotNull(token);
        assertNull(first.getString("_links.previous"));
        JsonPath second = page(prefix, 2, token);
        assertEquals(all.subList(2, 4), names(second));
        assertNotNull(second.getString("_links.previous"));
        JsonPath third = page(prefix, 2, second.getString("pagination.token"));
        assertEquals(all.subList(4, 5), names(third));
        assertNull(third.getString("pagination.token"));
        assertNull(third.getString("_links.next"));
    }

    @Test
    void theNextLinkLeadsToTheNextPage() {
        String prefix = uniqueName("links");
        List<String> all = createSeries(prefix, 3);
        String next = page(prefix, 2, null).getString("_links.next");
        List<String> second = asUser().get(next).then().statusCode(200).extract().jsonPath()
                .getList("items.properties.name");
        assertEquals(all.subList(2, 3), second);
    }

    @Test
    void thePreviousLinkLeadsBack() {
        String prefix = uniqueName("back");
        List<String> all = createSeries(prefix, 5);
        JsonPath first = page(prefix, 2, null);
        JsonPath second = page(prefix, 2, first.getString("pagination.token"));
        JsonPath third = page(prefix, 2, second.getString("pagination.token"));
        List<String> back = asUser().get(third.getString("_links.previous")).then().statusCode(200).extract()
                .jsonPath().getList("items.properties.name");
        assertEquals(all.subList(2, 4), back);
    }

    @Test
    void rowsInsertedOrDeletedBetweenPagesCauseNoDuplicateAndNoSkippedRow() {
        String prefix = uniqueName("stable");
        List<String> all = createSeries(prefix, 6);
        List<String> seen = new ArrayList<>();
        JsonPath first = page(prefix, 2, null);
        seen.addAll(names(first));
        // between pages: delete a row already seen, insert rows before and after the cursor, delete one not yet seen
        String firstId = asUser().queryParam("filter.name", all.get(0)).get("/registries").then().extract()
                .path("items[0].id");
        asUser().delete("/registries/{id}", firstId).then().statusCode(204);
        create(prefix + "-00a");
        create(prefix + "-99");
        String fifthId = asUser().queryParam("filter.name", all.get(4)).get("/registries").then().extract()
                .path("items[0].id");
        asUser().delete("/registries/{id}", fifthId).then().statusCode(204);
        String token = first.getString("pagination.token");
        while (token != null) {
            JsonPath next = page(prefix, 2, token);
            seen.addAll(names(next));
            token = next.getString("pagination.token");
        }
        assertEquals(List.of(all.get(0), all.get(1), all.get(2), all.get(3), all.get(5), prefix + "-99"), seen);
    }

    @Test
    void theFilterMatchesASubstringCaseInsensitively() {
        String prefix = uniqueName("filter");
        createSeries(prefix, 3);
        asUser().queryParam("filter.name", prefix.toUpperCase().substring(3) + "-01").get("/registries").then()
                .statusCode(200).body("items", hasSize(1))
                .body("items[0].properties.name", equalTo(prefix + "-01"));
    }

    @Test
    void percentAndUnderscoreInTheFilterMatchLiterally() {
        String prefix = uniqueName("literal");
        createSeries(prefix, 2);
        asUser().queryParam("filter.name", prefix + "%").get("/registries").then().body("items", hasSize(0));
        asUser().queryParam("filter.name", prefix + "-0_").get("/registries").then().body("items", hasSize(0));
        asUser().queryParam("filter.name", "%").get("/registries").then().body("items", hasSize(0));
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "1001", "-1", "ten", "1.5", "" })
    void aLimitOutsideOneToAThousandIsRefused(String limit) {
        asUser().queryParam("limit", limit).get("/registries").then().statusCode(400)
                .body("messages[0].errorCode", equalTo("INVALID_PARAMETER"))
                .body("messages[0].message", containsString("limit"));
    }

    @Test
    void limitsOfOneAndAThousandAreAccepted() {
        asUser().queryParam("limit", 1).get("/registries").then().statusCode(200).body("pagination.limit", equalTo(1));
        asUser().queryParam("limit", 1000).get("/registries").then().statusCode(200)
                .body("pagination.limit", equalTo(1000));
    }

    @Test
    void aTamperedTokenIsRefused() {
        String prefix = uniqueName("tamper");
        createSeries(prefix, 3);
        String token = page(prefix, 1, null).getString("pagination.token");
        char[] chars = token.toCharArray();
        chars[5] = chars[5] == 'A' ? 'B' : 'A';
        for (String bad : List.of(new String(chars), token + "x", "garbage", token.substring(0, 10))) {
            asUser().queryParam("filter.name", prefix).queryParam("limit", 1).queryParam("pagination.token", bad)
                    .get("/registries").then().statusCode(400)
                    .body("messages[0].errorCode", equalTo("INVALID_PAGINATION_TOKEN"));
        }
    }

    @Test
    void aTokenOfAnotherFilterIsRefused() {
        String prefix = uniqueName("other");
        createSeries(prefix, 3);
        String token = page(prefix, 1, null).getString("pagination.token");
        asUser().queryParam("filter.name", prefix + "-0").queryParam("pagination.token", token)
                .get("/registries").then().statusCode(400)
                .body("messages[0].errorCode", equalTo("INVALID_PAGINATION_TOKEN"));
    }
}
