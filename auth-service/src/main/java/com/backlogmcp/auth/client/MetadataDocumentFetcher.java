package com.backlogmcp.auth.client;

import io.micronaut.core.annotation.Nullable;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLContext;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Fetches one Client ID Metadata Document from a URL a stranger chose, so that the stranger can neither make us reach
 * an internal address nor hold our threads:
 * <ul>
 *   <li>the host is resolved once, every answer is checked, and the connection goes to a checked address (the
 *       client's DNS resolver is this check, so there is no second look-up a rebinding DNS server could answer
 *       differently);</li>
 *   <li>the whole exchange — connect, headers and body — has one deadline; at the deadline the connection is
 *       aborted, so a server that trickles its body one byte at a time gets nothing from us but {@link #deadline};</li>
 *   <li>at most {@link #MAX_BYTES} are read; no redirect is followed; no proxy, cookie, retry or decompression;</li>
 *   <li>at most {@link #MAX_CONCURRENT} fetches run at once; more are refused at once rather than queued.</li>
 * </ul>
 */
final class MetadataDocumentFetcher implements Closeable {

    static final int MAX_BYTES = 16 * 1024;
    static final int MAX_CONCURRENT = 8;

    /** Resolves a host name to all its addresses (the JDK's resolver in production). */
    interface HostLookup {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    /** The resolver's refusal, told apart from a name that does not resolve. */
    private static final class RefusedAddress extends UnknownHostException {
        RefusedAddress(String host) {
            super(host);
        }
    }

    private final Duration deadline;
    private final CloseableHttpClient http;
    private final Semaphore slots = new Semaphore(MAX_CONCURRENT);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cimd-deadline");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param allowed which resolved addresses may be connected to
     * @param tls     trust for the documents' servers; null = the JDK's default trust store
     */
    MetadataDocumentFetcher(Predicate<InetAddress> allowed, HostLookup lookup, @Nullable SSLContext tls, Duration deadline) {
        this.deadline = deadline;
        DnsResolver checkedResolver = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                InetAddress[] addresses = lookup.lookup(host);
                if (addresses.length == 0 || !Arrays.stream(addresses).allMatch(allowed)) {
                    throw new RefusedAddress(host);
                }
                return addresses;
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        Timeout timeout = Timeout.of(deadline);
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(checkedResolver)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                .setMaxConnTotal(MAX_CONCURRENT)
                .setMaxConnPerRoute(MAX_CONCURRENT);
        if (tls != null) {
            connections.setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls).buildClassic());
        }
        this.http = HttpClients.custom()
                .setConnectionManager(connections.build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).setConnectionRequestTimeout(timeout)
                        .setRedirectsEnabled(false).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .build();
    }

    /** The document's bytes as text, or the reason it could not be fetched. */
    String fetch(URI uri) throws ClientMetadataDocuments.InvalidDocument {
        if (!slots.tryAcquire()) {
            throw new Busy();
        }
        HttpGet request = new HttpGet(uri);
        request.setHeader("Accept", "application/json");
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> abort = timer.schedule(() -> {
            expired.set(true);
            request.cancel();
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        long until = System.nanoTime() + deadline.toNanos();
        try {
            return http.execute(request, response -> read(response, until));
        } catch (RefusedAddress e) {
            throw new ClientMetadataDocuments.InvalidDocument("client metadata host resolves to a private or loopback address, or another address that is not public; refused");
        } catch (UnknownHostException e) {
            throw new ClientMetadataDocuments.InvalidDocument("client metadata host does not resolve: " + uri.getHost());
        } catch (Problem e) {
            throw new ClientMetadataDocuments.InvalidDocument(e.getMessage());
        } catch (IOException e) {
            if (expired.get() || e instanceof InterruptedIOException) {
                throw new ClientMetadataDocuments.InvalidDocument("client metadata document did not arrive within " + deadline.toMillis() + " ms");
            }
            throw new ClientMetadataDocuments.InvalidDocument("client metadata document could not be fetched: " + e.getClass().getSimpleName());
        } finally {
            abort.cancel(false);
            slots.release();
        }
    }

    private String read(ClassicHttpResponse response, long until) throws IOException {
        if (response.getCode() != 200) {
            throw new Problem("client metadata document answered HTTP " + response.getCode() + " (redirects are not followed)");
        }
        Header contentType = response.getFirstHeader("Content-Type");
        String type = contentType == null ? "" : contentType.getValue().toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/json") && !type.contains("+json")) {
            throw new Problem("client metadata document is not served as application/json");
        }
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            throw new Problem("client metadata document is empty");
        }
        if (entity.getContentLength() > MAX_BYTES) {
            throw new Problem("client metadata document is larger than " + MAX_BYTES + " bytes");
        }
        byte[] buffer = new byte[MAX_BYTES + 1];
        int length = 0;
        try (InputStream in = entity.getContent()) {
            int n;
            while (length < buffer.length && (n = in.read(buffer, length, buffer.length - length)) >= 0) {
                length += n;
                if (System.nanoTime() - until > 0) {
                    throw new InterruptedIOException("deadline");
                }
            }
        }
        if (length > MAX_BYTES) {
            throw new Problem("client metadata document is larger than " + MAX_BYTES + " bytes");
        }
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    /** A reason found while reading the response, carried out of the response handler. */
    private static final class Problem extends IOException {
        Problem(String message) {
            super(message);
        }
    }

    /** Every fetch slot is taken; the caller is told to retry rather than waiting behind slow servers. */
    static final class Busy extends ClientMetadataDocuments.InvalidDocument {
        Busy() {
            super("too many client metadata documents are being fetched right now; try again in a few seconds");
        }
    }

    @Override
    public void close() throws IOException {
        timer.shutdownNow();
        http.close();
    }
}
