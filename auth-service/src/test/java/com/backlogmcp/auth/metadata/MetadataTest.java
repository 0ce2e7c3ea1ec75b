package com.backlogmcp.auth.metadata;

import com.backlogmcp.auth.TestStack;
import com.backlogmcp.auth.keys.SigningKeys;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetadataTest implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    SigningKeys keys;


    @Override
    public Map<String, String> getProperties() {
        return TestStack.properties();
    }

    @Test
    void metadataWhenFetchedThenAdvertisesEndpointsPkceS256AndCimd() throws Exception {
        for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            String body = client.toBlocking().retrieve(path);
            AuthorizationServerMetadata m = AuthorizationServerMetadata.parse(body);
            assertEquals("http://auth.test", m.getIssuer().getValue());
            assertEquals("http://auth.test/oauth/authorize", m.getAuthorizationEndpointURI().toString());
            assertEquals("http://auth.test/oauth/token", m.getTokenEndpointURI().toString());
            assertEquals("http://auth.test/oauth/register", m.getRegistrationEndpointURI().toString());
            assertEquals("http://auth.test/oauth/revoke", m.getRevocationEndpointURI().toString());
            assertEquals("http://auth.test/oauth/jwks", m.getJWKSetURI().toString());
            assertEquals("[S256]", m.getCodeChallengeMethods().toString());
            assertTrue(m.supportsAuthorizationResponseIssuerParam());
            assertTrue(body.contains("\"client_id_metadata_document_supported\":true"), body);
            assertTrue(m.getScopes().contains("backlog:write"));
            assertTrue(m.getTokenEndpointAuthMethods().toString().contains("none"));
        }
    }

    @Test
    void jwksWhenKeyRotatedThenServesCurrentAndPreviousWithoutRestart() throws Exception {
        JWKSet before = JWKSet.parse(client.toBlocking().retrieve("/oauth/jwks"));
        String oldKid = keys.current().getKeyID();
        assertTrue(before.getKeys().stream().anyMatch(k -> k.getKeyID().equals(oldKid)));
        assertTrue(before.getKeys().stream().noneMatch(k -> k.isPrivate()), "private keys must never be published");

        String newKid = keys.rotate();

        HttpResponse<String> r = client.toBlocking().exchange("/oauth/jwks", String.class);
        JWKSet after = JWKSet.parse(r.body());
        assertNotEquals(oldKid, newKid);
        assertEquals(newKid, keys.current().getKeyID());
        assertTrue(after.getKeys().stream().anyMatch(k -> k.getKeyID().equals(newKid)));
        assertTrue(after.getKeys().stream().anyMatch(k -> k.getKeyID().equals(oldKid)), "previous key stays published");
        assertEquals(2, after.getKeys().size());
        assertTrue(after.getKeys().stream().noneMatch(k -> k.isPrivate()));
    }
}
