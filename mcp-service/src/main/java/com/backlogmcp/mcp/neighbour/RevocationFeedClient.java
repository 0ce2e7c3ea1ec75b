package com.backlogmcp.mcp.neighbour;

import com.backlogmcp.contracts.internal.RevocationPage;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.uri.UriBuilder;
import jakarta.inject.Singleton;

import java.time.Instant;

/** auth-service's {@code GET /internal/revocations}, called with this service's credential. */
@Singleton
public class RevocationFeedClient {

    private static final String NAME = "auth-service";

    private final HttpClient client;

    public RevocationFeedClient(@Client(id = NeighbourIds.AUTH) HttpClient client) {
        this.client = client;
    }

    /** The revocations after a cursor auth-service gave. */
    public RevocationPage after(long cursor) {
        return page(UriBuilder.of("/internal/revocations").queryParam("after", cursor).toString());
    }

    /** The revocations since an instant: how a replica that has no cursor yet starts. */
    public RevocationPage since(Instant since) {
        return page(UriBuilder.of("/internal/revocations").queryParam("since", since.toString()).toString());
    }

    private RevocationPage page(String uri) {
        NeighbourCall.Answer<RevocationPage> answer = NeighbourCall.exchange(client, NAME, HttpRequest.GET(uri),
                Argument.of(RevocationPage.class));
        return answer.body().filter(b -> answer.ok())
                .orElseThrow(() -> new UpstreamUnavailableException("auth-service answered the revocation feed with " + answer.status()));
    }
}
