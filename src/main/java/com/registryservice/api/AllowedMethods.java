package com.registryservice.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * The methods each management API path takes, for the {@code Allow} header HTTP requires on a 405 (Quarkus REST's
 * own 405 names none). Read once at start from the OpenAPI document Quarkus generates at build time from the
 * resources themselves, so it cannot drift from them.
 */
@ApplicationScoped
public class AllowedMethods {

    /** Where Quarkus keeps the document it generated at build time (on the class path, native image included). */
    static final String DOCUMENT = "META-INF/quarkus-generated-openapi-doc.JSON";

    private static final List<String> METHODS = List.of("get", "head", "post", "put", "patch", "delete");

    private record Route(Pattern strict, Pattern loose, int literals, String allow) {
    }

    private volatile List<Route> routes = List.of();

    void load(@Observes StartupEvent start) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                Log.warnf("No %s on the class path: 405 answers will not name the allowed methods", DOCUMENT);
                return;
            }
            routes = routes(new ObjectMapper().readTree(in).path("paths"));
        } catch (IOException e) {
            Log.warnf("Cannot read %s (%s): 405 answers will not name the allowed methods", DOCUMENT, e.getMessage());
        }
    }

    static List<Route> routes(JsonNode paths) {
        List<Route> result = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            Set<String> allowed = new LinkedHashSet<>();
            for (String method : METHODS) {
                if (path.getValue().has(method)) {
                    allowed.add(method.toUpperCase(Locale.ROOT));
                    if (method.equals("get")) {
                        allowed.add("HEAD"); // Quarkus REST answers HEAD for every GET
                    }
                }
            }
            allowed.add("OPTIONS");
            result.add(new Route(template(path.getKey(), "[^/]+"), template(path.getKey(), ".+"),
                    path.getKey().replaceAll("\\{[^}]+}", "").length(), String.join(", ", allowed)));
        }
        return List.copyOf(result);
    }

    /** A path template ({@code /registries/{registryId}}) as a pattern, each parameter matching {@code parameter}. */
    private static Pattern template(String template, String parameter) {
        StringBuilder regex = new StringBuilder();
        Matcher m = Pattern.compile("\\{[^}]+}").matcher(template);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(at, m.start()))).append(parameter);
            at = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(template.substring(at))).toString());
    }

    /**
     * The methods the path takes ({@code GET, HEAD, OPTIONS}); empty when it is none of the API's. A parameter is one
     * segment, unless only a parameter of several (a repository name) makes the path one of the API's.
     */
    public Optional<String> of(String path) {
        for (Route route : routes) {
            if (route.strict().matcher(path).matches()) {
                return Optional.of(route.allow());
            }
        }
        // the template with most of the path in its literals: …/repositories/{repositoryName} before {registryId}
        return routes.stream().filter(route -> route.loose().matcher(path).matches())
                .max(java.util.Comparator.comparingInt(Route::literals)).map(Route::allow);
    }
}
