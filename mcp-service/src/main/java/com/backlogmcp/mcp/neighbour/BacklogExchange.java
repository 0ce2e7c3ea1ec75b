package com.backlogmcp.mcp.neighbour;

import com.backlogmcp.contracts.Headers;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.mcp.observability.RequestIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MediaType;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The edge's HTTP exchange with backlog-service: a pooled, keep-alive HTTP/1.1 client (Apache HttpClient 5, classic
 * blocking I/O) used on the calling (virtual) thread. Every {@code tools/call} makes one request here, so its cost is
 * paid on every call: Micronaut's reactive client handed each request to its own event loop and back and ran its
 * filter chain, which profiled at about a quarter of the edge's CPU per call; a blocking exchange on the request's
 * virtual thread does the same work without the hand-offs. The neighbours called in the background (audit-service's
 * leases, auth-service's introspection and revocation feed) keep Micronaut's client.
 * <p>
 * What the Micronaut client filters add to a neighbour request is added here the same way: the service credential
 * ({@link ServiceCredentials}) and the request id. The URL and timeouts are the ones configured for the neighbour
 * under {@code micronaut.http.services.backlog}; each exchange is timed as {@code http.client.requests} with the
 * same tags Micronaut's client metrics use.
 */
@Singleton
public class BacklogExchange {

    /** backlog-service's answer: its status and body (empty when it sent none). */
    public record Reply(int status, byte[] body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** backlog-service's URL without a trailing slash; request paths start with one. */
    private final String base;
    private final CloseableHttpClient http;
    private final ServiceCredentials credentials;
    private final MeterRegistry meters;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public BacklogExchange(@Value("${micronaut.http.services." + NeighbourIds.BACKLOG + ".url}") URI base,
                           @Value("${micronaut.http.services." + NeighbourIds.BACKLOG + ".read-timeout:3s}") Duration readTimeout,
                           @Value("${micronaut.http.services." + NeighbourIds.BACKLOG + ".connect-timeout:1s}") Duration connectTimeout,
                           @Value("${backlogmcp.edge.backlog-connections:200}") int maxConnections,
                           ServiceCredentials credentials, MeterRegistry meters) {
        this.base = base.toString().replaceAll("/+$", "");
        this.credentials = credentials;
        this.meters = meters;
        Timeout read = Timeout.of(readTimeout);
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(maxConnections)
                        // One route (backlog-service) only: per-route locking is all the pool needs.
                        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setSocketTimeout(read)
                                // A connection idle this long is checked before reuse, so one backlog-service
                                // closed (or a restarted replica) is replaced instead of failing a call.
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(read)
                        // Waiting for a free connection counts against the same bound as the answer.
                        .setConnectionRequestTimeout(read)
                        .build())
                // Closed well before backlog-service's own idle timeout would close them under a request.
                .evictIdleConnections(TimeValue.ofSeconds(30))
                // A tool call may write: it is never sent twice behind the agent's back.
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .disableContentCompression()
                .build();
    }

    /** {@code GET path} ({@code route} is its template, for the metrics). */
    public Reply get(String route, String path) {
        return exchange(route, new HttpGet(base + path), null);
    }

    /** {@code POST path} with a JSON body; {@code deadline} is sent as {@link Headers#CALL_DEADLINE} when not null. */
    public Reply post(String route, String path, byte[] json, @Nullable String deadline) {
        HttpPost post = new HttpPost(base + path);
        post.setEntity(new ByteArrayEntity(json, ContentType.APPLICATION_JSON));
        return exchange(route, post, deadline);
    }

    private Reply exchange(String route, HttpUriRequestBase request, @Nullable String deadline) {
        request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + credentials.forAudience(ServiceNames.BACKLOG));
        request.setHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON);
        String requestId = RequestIds.current();
        if (requestId != null) {
            request.setHeader(Headers.REQUEST_ID, requestId);
        }
        if (deadline != null) {
            request.setHeader(Headers.CALL_DEADLINE, deadline);
        }
        long started = System.nanoTime();
        String status = "0";
        String exception = "none";
        try {
            Reply reply = http.execute(request, response -> new Reply(response.getCode(),
                    response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity())));
            status = Integer.toString(reply.status());
            return reply;
        } catch (IOException e) {
            exception = e.getClass().getSimpleName();
            throw new UpstreamUnavailableException(BacklogClient.NAME, e);
        } finally {
            timer(request.getMethod(), route, status, exception).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String method, String route, String status, String exception) {
        return timers.computeIfAbsent(method + ' ' + route + ' ' + status + ' ' + exception, key -> Timer.builder("http.client.requests")
                .description("requests the edge made to backlog-service")
                .tag("serviceId", NeighbourIds.BACKLOG)
                .tag("method", method)
                .tag("uri", route)
                .tag("status", status)
                .tag("exception", exception)
                .register(meters));
    }

    @PreDestroy
    void close() {
        http.close(CloseMode.GRACEFUL);
    }
}
