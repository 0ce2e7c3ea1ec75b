package com.backlogmcp.auth.client;

import com.backlogmcp.auth.support.AuthSettings;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import net.minidev.json.JSONObject;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a {@code client_id} that is an https URL
 * names a JSON document describing the client. Anyone can make us fetch one without logging in, so the fetch is
 * guarded by {@link MetadataDocumentFetcher} (one deadline for the whole response, a size limit, no redirects, only
 * public addresses unless {@code CIMD_ALLOW_PRIVATE_ADDRESSES=true}, the checked address is the one connected to).
 * Valid documents are cached for {@link #CACHE_TTL}, failures for {@link #FAILURE_TTL} (so repeating a bad
 * {@code client_id} costs one fetch, not one per request); concurrent look-ups of one id share one fetch.
 */
@Singleton
public class ClientMetadataDocuments {

    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    static final Duration FAILURE_TTL = Duration.ofSeconds(30);
    static final Duration DEADLINE = Duration.ofSeconds(3);
    static final int MAX_CACHED = 10_000;

    /** Why a document could not be used; the message is shown on the error page. */
    public static class InvalidDocument extends Exception {
        public InvalidDocument(String message) {
            super(message);
        }
    }

    /** A look-up's outcome: the client, or why there is none. */
    private record Outcome(RegisteredClient client, String problem) {
    }

    private final MetadataDocumentFetcher fetcher;
    private final Cache<String, Outcome> cache;

    /**
     * @param tls a TLS context named {@code cimd}, when one is defined (tests trust a local certificate with it);
     *            otherwise the JDK's default trust store is used
     */
    @Inject
    ClientMetadataDocuments(AuthSettings settings, Clock clock, @Nullable @Named("cimd") SSLContext tls) {
        this(new MetadataDocumentFetcher(settings.cimdAllowPrivateAddresses() ? a -> true : PublicAddresses::isPublic,
                InetAddress::getAllByName, tls, DEADLINE), clock);
    }

    ClientMetadataDocuments(MetadataDocumentFetcher fetcher, Clock clock) {
        this.fetcher = fetcher;
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_CACHED)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(Expiry.<String, Outcome>creating((id, outcome) -> outcome.client() != null ? CACHE_TTL : FAILURE_TTL))
                .build();
    }

    public static boolean isMetadataDocumentId(String clientId) {
        return clientId != null && clientId.regionMatches(true, 0, "https://", 0, 8);
    }

    public RegisteredClient resolve(String clientId) throws InvalidDocument {
        Outcome outcome;
        try {
            outcome = cache.get(clientId, this::lookUp);
        } catch (BusyFetcher e) {
            throw e.busy;
        }
        if (outcome.client() == null) {
            throw new InvalidDocument(outcome.problem());
        }
        return outcome.client();
    }

    private Outcome lookUp(String clientId) {
        try {
            return new Outcome(fetchAndValidate(clientId), null);
        } catch (MetadataDocumentFetcher.Busy e) {
            // our own overload says nothing about the document: not cached
            throw new BusyFetcher(e);
        } catch (InvalidDocument e) {
            return new Outcome(null, e.getMessage());
        }
    }

    /** Carries {@link MetadataDocumentFetcher.Busy} out of the cache's loader without caching it. */
    private static final class BusyFetcher extends RuntimeException {
        final MetadataDocumentFetcher.Busy busy;

        BusyFetcher(MetadataDocumentFetcher.Busy busy) {
            super(busy.getMessage(), null, false, false);
            this.busy = busy;
        }
    }

    @PreDestroy
    void close() throws IOException {
        fetcher.close();
    }

    private RegisteredClient fetchAndValidate(String clientId) throws InvalidDocument {
        URI uri = checkUrl(clientId);
        String body = fetcher.fetch(uri);
        JSONObject json;
        try {
            json = JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw new InvalidDocument("client metadata document is not a JSON object");
        }
        if (!clientId.equals(json.get("client_id"))) {
            throw new InvalidDocument("client metadata document's client_id does not equal its URL");
        }
        ClientMetadata metadata;
        try {
            metadata = ClientMetadata.parse(json);
        } catch (ParseException e) {
            throw new InvalidDocument("client metadata document is invalid: " + e.getMessage());
        }
        String method = metadata.getTokenEndpointAuthMethod() == null ? RegisteredClient.NONE : metadata.getTokenEndpointAuthMethod().getValue();
        if (!RegisteredClient.NONE.equals(method) || json.containsKey("client_secret")) {
            throw new InvalidDocument("a client metadata document describes a public client: token_endpoint_auth_method must be none");
        }
        if (metadata.getRedirectionURIs() == null || metadata.getRedirectionURIs().isEmpty()) {
            throw new InvalidDocument("client metadata document has no redirect_uris");
        }
        List<String> uris = metadata.getRedirectionURIs().stream().map(URI::toString).toList();
        for (String u : uris) {
            var problem = RedirectUriRules.problem(u);
            if (problem.isPresent()) {
                throw new InvalidDocument(problem.get());
            }
        }
        return new RegisteredClient(clientId, null, RegisteredClient.NONE, uris, metadata.getName(), "cimd");
    }

    private static URI checkUrl(String clientId) throws InvalidDocument {
        try {
            URI uri = new URI(clientId);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.getRawFragment() != null || uri.getRawPath() == null || uri.getRawPath().length() <= 1) {
                throw new InvalidDocument("a metadata document client_id must be an https URL with a path, without user info or fragment");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new InvalidDocument("client_id is not a valid URL");
        }
    }
}
