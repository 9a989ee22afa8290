package com.registryservice.security;

import static com.registryservice.support.Api.as;
import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Every kind of user on every operation, with real Basic authentication on the real database. Each case works on
 * registries of its own, created by the owner of contract 1001 in de/fra and de/txl.
 */
@QuarkusTest
class PermissionMatrixTest {

    /** An operation, on a registry in de/fra or de/txl where it targets one. */
    enum Op {
        LIST, CREATE_FRA, CREATE_TXL, PUT_CREATE_FRA, PUT_CREATE_TXL, GET_FRA, GET_TXL, REPLACE_FRA, REPLACE_TXL,
        PATCH_FRA, PATCH_TXL, DELETE_FRA, DELETE_TXL, LOCATIONS, NAME_CHECK;

        int success() {
            return switch (this) {
                case CREATE_FRA, CREATE_TXL, PUT_CREATE_FRA, PUT_CREATE_TXL -> 201;
                case DELETE_FRA, DELETE_TXL -> 204;
                case NAME_CHECK -> 404; // a valid, free name
                default -> 200;
            };
        }

        boolean fra() {
            return name().endsWith("_FRA");
        }

        boolean txl() {
            return name().endsWith("_TXL");
        }

        boolean onExisting() {
            return name().startsWith("GET") || name().startsWith("REPLACE") || name().startsWith("PATCH")
                    || name().startsWith("DELETE");
        }
    }

    /** What each kind of user gets for each operation. */
    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Op op : Op.values()) {
            // owners and admins: everything in their contract
            cases.add(Arguments.of("tester", op, op.success()));
            cases.add(Arguments.of("admin", op, op.success()));
            // the privilege with edit on de/fra, or share on de/txl: that location only
            cases.add(Arguments.of("editor", op, op.txl() ? 403 : op.success()));
            cases.add(Arguments.of("sharer", op, op.fra() ? 403 : op.success()));
            // read access, the privilege alone, or access without the privilege: no registry operation
            for (String user : List.of("reader", "privilegeonly", "datacenteronly")) {
                boolean memberOnly = op == Op.LOCATIONS || op == Op.NAME_CHECK;
                cases.add(Arguments.of(user, op, memberOnly ? op.success() : 403));
            }
            // no contract, or two: nothing at all
            cases.add(Arguments.of("nocontract", op, 403));
            cases.add(Arguments.of("twocontracts", op, 403));
            // the owner of another contract: contract 1001's registries do not exist for it
            cases.add(Arguments.of("stranger", op, op.onExisting() ? 404 : op.success()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("matrix")
    void eachKindOfUserGetsWhatTheRulesSay(String user, Op op, int expected) {
        String fra = createAsOwner("de/fra");
        String txl = createAsOwner("de/txl");
        String target = op.txl() ? txl : fra;
        String location = op.txl() ? "de/txl" : "de/fra";
        Response response = switch (op) {
            case LIST -> as(user).get("/registries");
            case CREATE_FRA, CREATE_TXL -> as(user).body(body(uniqueName("m"), location)).post("/registries");
            case PUT_CREATE_FRA, PUT_CREATE_TXL -> as(user).body(body(uniqueName("m"), location))
                    .put("/registries/{id}", UUID.randomUUID().toString());
            case GET_FRA, GET_TXL -> as(user).get("/registries/{id}", target);
            case REPLACE_FRA, REPLACE_TXL -> as(user).body(body(nameOf(target), location))
                    .put("/registries/{id}", target);
            case PATCH_FRA, PATCH_TXL -> as(user).body(Map.of("apiSubnetAllowList", List.of("10.0.0.0/8")))
                    .patch("/registries/{id}", target);
            case DELETE_FRA, DELETE_TXL -> as(user).delete("/registries/{id}", target);
            case LOCATIONS -> as(user).get("/locations");
            case NAME_CHECK -> as(user).head("/names/{name}", uniqueName("free"));
        };
        assertEquals(expected, response.statusCode(), user + " " + op + ": " + response.asString());
        if (expected >= 400 && op != Op.NAME_CHECK) {
            assertEquals(expected, response.jsonPath().getInt("httpStatus"), "the JSON error body");
        }
        if (op.onExisting() && expected >= 400) {
            assertUnchanged(target);
        }
    }

    private static void assertUnchanged(String id) {
        asUser().get("/registries/{id}", id).then().statusCode(200)
                .body("metadata.lastModifiedBy", org.hamcrest.Matchers.equalTo("tester"))
                .body("properties.apiSubnetAllowList", org.hamcrest.Matchers.hasSize(0));
    }

    private static String createAsOwner(String location) {
        return asUser().body(body(uniqueName("owned"), location)).post("/registries").then().statusCode(201)
                .extract().path("id");
    }

    private static String nameOf(String id) {
        return asUser().get("/registries/{id}", id).then().extract().path("properties.name");
    }

    private static Map<String, Object> body(String name, String location) {
        return Map.of("properties", Map.of("name", name, "location", location));
    }
}
