package com.registryservice.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.test.junit.QuarkusTest;

/** A verified login is remembered for a while (with its permissions); a wrong password never is. */
@QuarkusTest
class VerifiedLoginsTest {

    @Inject
    IdentityProviderManager identities;

    private SecurityIdentity login(String user, String password) {
        return identities.authenticate(new UsernamePasswordAuthenticationRequest(user,
                new PasswordCredential(password.toCharArray()))).await().indefinitely();
    }

    @Test
    void aSecondLoginWithTheSameCredentialsIsTheRememberedIdentityWithItsPermissions() {
        SecurityIdentity first = login("editor", "editor-password");
        SecurityIdentity second = login("editor", "editor-password");
        // Quarkus wraps each identity it returns; what is inside is the remembered one, not one verified and
        // augmented again (that would parse new permissions)
        assertNotNull(second.getAttribute(Permissions.ATTRIBUTE));
        assertSame(first.getAttribute(Permissions.ATTRIBUTE), second.getAttribute(Permissions.ATTRIBUTE),
                "the second login must not be verified and augmented again");
        assertEquals("editor", second.getPrincipal().getName());
        // the realm puts the password into the identity: the remembered one must not keep it
        assertTrue(second.getCredentials().isEmpty(), "a remembered login holds no credentials");
        assertTrue(second.getRoles().contains("accessAndManageRegistries"));
    }

    @Test
    void aWrongPasswordIsRefusedAfterTheRightOneWasRemembered() {
        login("sharer", "sharer-password");
        assertThrows(AuthenticationFailedException.class, () -> login("sharer", "sharer-password-not"));
        assertThrows(AuthenticationFailedException.class, () -> login("sharer", ""));
    }

    @Test
    void eachUserHasTheirOwnRememberedIdentity() {
        SecurityIdentity tester = login("tester", "tester-password");
        SecurityIdentity admin = login("admin", "admin-password");
        assertNotSame(tester.getAttribute(Permissions.ATTRIBUTE), admin.getAttribute(Permissions.ATTRIBUTE));
        assertEquals("admin", admin.getPrincipal().getName());
        assertEquals("tester", login("tester", "tester-password").getPrincipal().getName());
    }
}
