package com.registryservice.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void aCauseIsFoundBehindWrappers() {
        assertTrue(Causes.any(new RuntimeException(new IllegalStateException(new java.io.IOException("x"))),
                t -> t instanceof java.io.IOException));
    }

    @Test
    void aCycleOfCausesEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b); // a caused by b caused by a
        assertFalse(Causes.any(a, t -> t instanceof java.io.IOException));
    }
}
