package com.registryservice.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The throttle's arithmetic: per user name and address, and per address. */
class LoginThrottleTest {

    @Test
    void aUserIsBlockedFromAnAddressAfterTheFailuresAllowedButNotFromAnother() {
        LoginThrottle throttle = new LoginThrottle();
        for (int i = 0; i < LoginThrottle.PER_USER; i++) {
            assertFalse(throttle.blocked("registry r", "ci", "192.0.2.1"), "after " + i);
            throttle.failed("registry r", "ci", "192.0.2.1");
        }
        assertTrue(throttle.blocked("registry r", "ci", "192.0.2.1"));
        assertFalse(throttle.blocked("registry r", "ci", "192.0.2.2"), "a guesser elsewhere locks nobody out");
        assertFalse(throttle.blocked("registry other", "ci", "192.0.2.1"), "another registry's token of that name");
    }

    @Test
    void anAddressIsBlockedAfterManyFailuresWhateverTheUserNames() {
        LoginThrottle throttle = new LoginThrottle();
        for (int i = 0; i < LoginThrottle.PER_ADDRESS; i++) {
            throttle.failed("no registry", "user" + i, "192.0.2.9");
        }
        assertTrue(throttle.blocked("no registry", "someone-new", "192.0.2.9"));
    }

    @Test
    void aUserNameGoesIntoTheLogWithoutLineBreaksOrControlCharactersAndShort() {
        assertEquals("ali\\u000ace\\u0000", LoginThrottle.printable("ali\nce\0"));
        assertEquals("a\\u2028b\\u2029c", LoginThrottle.printable("a\u2028b\u2029c"));
        assertEquals(101, LoginThrottle.printable("x".repeat(5000)).length());
    }
}
