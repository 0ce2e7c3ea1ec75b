package com.backlogmcp.local;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An HTTPS server on loopback with a throw-away self-signed certificate, for serving a Client ID Metadata Document
 * the way an agent's vendor would (CIMD client ids must be https URLs). {@link #trustStore()} is handed to the
 * services' JVMs so auth-service trusts exactly this certificate.
 */
final class LoopbackHttps implements AutoCloseable {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private final HttpsServer server;
    private final Path trustStore;

    private LoopbackHttps(HttpsServer server, Path trustStore) {
        this.server = server;
        this.trustStore = trustStore;
    }

    static LoopbackHttps start(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve("cimd-server.p12");
        Path cert = dir.resolve("cimd-server.cer");
        Path trust = dir.resolve("cimd-trust.p12");
        Files.deleteIfExists(keyStore);
        Files.deleteIfExists(cert);
        Files.deleteIfExists(trust);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "cimd", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", new String(PASSWORD)));
        run(List.of(keytool, "-exportcert", "-alias", "cimd", "-keystore", keyStore.toString(), "-storepass",
                new String(PASSWORD), "-file", cert.toString()));
        run(List.of(keytool, "-importcert", "-noprompt", "-alias", "cimd", "-file", cert.toString(), "-keystore",
                trust.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD)));

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.start();
        return new LoopbackHttps(server, trust);
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + command + "\n" + out);
        }
    }

    /** Serves {@code json} at {@code path}; answers the https URL. */
    String serveJson(String path, String json) {
        server.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        return url(path);
    }

    String url(String path) {
        return "https://localhost:" + server.getAddress().getPort() + path;
    }

    Path trustStore() {
        return trustStore;
    }

    String trustStorePassword() {
        return new String(PASSWORD);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
