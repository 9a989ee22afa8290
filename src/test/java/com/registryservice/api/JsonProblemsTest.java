package com.registryservice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The parser's failures told without its vocabulary (its settings, its class names), with where they happened. */
class JsonProblemsTest {

    private static String problem(String document) {
        try {
            new ObjectMapper().readTree(document);
        } catch (JsonProcessingException e) {
            return JsonProblems.describe(e);
        }
        throw new AssertionError("parsed: " + document);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"schemaVersion\": NaN}", "{\"a\": Infinity}", "{/* a comment */ \"a\": 1}",
            "{'a': 1}", "{\"a\": 01}", "{a: 1}", "{\"a\": [1, 2}", "{\"a\": \"\u0001\"}" })
    void aMalformedDocumentIsToldInPlainWords(String document) {
        String problem = problem(document);
        assertFalse(problem.contains("`"), problem);
        assertFalse(problem.toLowerCase().contains("feature"), problem);
        assertFalse(problem.toLowerCase().contains("jackson"), problem);
        assertFalse(problem.contains("Constraints"), problem);
        assertTrue(problem.contains("(line 1, column"), problem);
    }

    @ParameterizedTest
    @ValueSource(ints = { 5000 })
    void aNumberBeyondTheParsersBoundsIsToldAsSuch(int digits) {
        String problem = problem("{\"a\": " + "9".repeat(digits) + "}");
        assertEquals("it is nested too deeply, or holds a name, number or string longer than this API reads", problem);
    }

    @org.junit.jupiter.api.Test
    void commentsAreNamed() {
        assertTrue(problem("{/* x */}").startsWith("comments are not JSON"), problem("{/* x */}"));
    }
}
