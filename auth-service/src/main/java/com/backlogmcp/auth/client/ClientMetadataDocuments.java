package com.backlogmcp.auth.client;

import com.backlogmcp.auth.support.AuthSettings;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.net.ssl.SSLContext;
import net.minidev.json.JSONObject;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a {@code client_id} that is an https URL
 * names a JSON document describing the client. Fetching a URL an attacker chose is a server-side request forgery
 * risk, so the fetch has a short timeout, a size limit, follows no redirects, and refuses hosts resolving to
 * loopback, private, link-local or otherwise non-public addresses unless {@code CIMD_ALLOW_PRIVATE_ADDRESSES=true}.
 * Valid documents are cached for {@link #CACHE_TTL}.
 */
@Singleton
public class ClientMetadataDocuments {

    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    static final int MAX_BYTES = 16 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** Why a document could not be used; the message is shown on the error page. */
    public static final class InvalidDocument extends Exception {
        public InvalidDocument(String message) {
            super(message);
        }
    }

    private record Cached(RegisteredClient client, Instant until) {
    }

    private final boolean allowPrivate;
    private final Clock clock;
    private final HttpClient http;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * @param tls a TLS context named {@code cimd}, when one is defined (tests trust a local certificate with it);
     *            otherwise the JDK's default trust store is used
     */
    ClientMetadataDocuments(AuthSettings settings, Clock clock, @Nullable @Named("cimd") SSLContext tls) {
        this.allowPrivate = settings.cimdAllowPrivateAddresses();
        this.clock = clock;
        HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(TIMEOUT);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    public static boolean isMetadataDocumentId(String clientId) {
        return clientId != null && clientId.regionMatches(true, 0, "https://", 0, 8);
    }

    public RegisteredClient resolve(String clientId) throws InvalidDocument {
        Cached c = cache.get(clientId);
        if (c != null && c.until().isAfter(clock.instant())) {
            return c.client();
        }
        RegisteredClient client = fetchAndValidate(clientId);
        cache.put(clientId, new Cached(client, clock.instant().plus(CACHE_TTL)));
        return client;
    }

    private RegisteredClient fetchAndValidate(String clientId) throws InvalidDocument {
        URI uri = checkUrl(clientId);
        checkAddresses(uri.getHost());
        String body = fetch(uri);
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

    private void checkAddresses(String host) throws InvalidDocument {
        if (allowPrivate) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new InvalidDocument("client metadata host does not resolve: " + host);
        }
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                throw new InvalidDocument("client metadata host resolves to a private or loopback address; refused");
            }
        }
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            // 0/8, 100.64/10 (carrier NAT), 192.0.0/24, 198.18/15 (benchmarking), 240/4 (reserved)
            return first != 0 && !(first == 100 && second >= 64 && second < 128) && !(first == 192 && second == 0 && (b[2] & 0xff) == 0)
                    && !(first == 198 && (second == 18 || second == 19)) && first < 240;
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            // fc00::/7 unique local; ::ffff:0:0/96 mapped IPv4 is judged by its IPv4 part
            if ((first & 0xfe) == 0xfc) {
                return false;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private String fetch(URI uri) throws InvalidDocument {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new InvalidDocument("client metadata document answered HTTP " + response.statusCode() + " (redirects are not followed)");
                }
                String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
                if (!type.startsWith("application/json") && !type.contains("+json")) {
                    throw new InvalidDocument("client metadata document is not served as application/json");
                }
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new InvalidDocument("client metadata document is larger than " + MAX_BYTES + " bytes");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new InvalidDocument("client metadata document could not be fetched: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidDocument("client metadata document fetch was interrupted");
        }
    }
}
