package com.registryservice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Which methods a path takes, from an OpenAPI document's paths: a parameter is one segment unless only more fit. */
class AllowedMethodsTest {

    @Test
    void aPathIsMatchedToTheMostFittingTemplate() throws Exception {
        var paths = new ObjectMapper().readTree("""
                {"/registries/{registryId}": {"get": {}, "put": {}, "patch": {}, "delete": {}},
                 "/registries/{registryId}/tokens": {"get": {}, "post": {}},
                 "/registries/{registryId}/repositories/{repositoryName}": {"get": {}, "delete": {}},
                 "/names/{name}": {"head": {}}}""");
        AllowedMethods allowed = new AllowedMethods();
        java.lang.reflect.Field routes = AllowedMethods.class.getDeclaredField("routes");
        routes.setAccessible(true);
        routes.set(allowed, AllowedMethods.routes(paths));
        assertEquals(Optional.of("GET, HEAD, PUT, PATCH, DELETE, OPTIONS"), allowed.of("/registries/abc"));
        assertEquals(Optional.of("GET, HEAD, POST, OPTIONS"), allowed.of("/registries/abc/tokens"));
        // a repository name holds slashes
        assertEquals(Optional.of("GET, HEAD, DELETE, OPTIONS"), allowed.of("/registries/abc/repositories/team/app"));
        assertEquals(Optional.of("HEAD, OPTIONS"), allowed.of("/names/x"));
        assertEquals(Optional.empty(), allowed.of("/nothing/here"));
    }
}
