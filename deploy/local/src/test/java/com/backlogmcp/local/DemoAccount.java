package com.backlogmcp.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A demo user signed in on auth-service over plain HTTP, as a browser would (login CSRF cookie and field, session
 * cookie, the account pages' CSRF token), able to create API keys for stack-level tests.
 */
final class DemoAccount {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HIDDEN = Pattern.compile("name=\"(login_csrf|csrf_token)\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"(login_csrf|csrf_token)\"");

    private final String issuer;
    private final HttpClient http;
    // A browser sends Secure cookies to http://localhost (a secure context); java.net.CookieManager does not, so the
    // jar is kept here.
    private final Map<String, String> cookies = new java.util.LinkedHashMap<>();

    private DemoAccount(String issuer, HttpClient http) {
        this.issuer = issuer;
        this.http = http;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String setCookie : r.headers().allValues("set-cookie")) {
            String pair = setCookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                String value = pair.substring(eq + 1);
                if (value.isEmpty() || setCookie.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                    cookies.remove(pair.substring(0, eq));
                } else {
                    cookies.put(pair.substring(0, eq), value);
                }
            }
        }
        return r;
    }

    static DemoAccount signIn(String issuer, String email, String password) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        DemoAccount account = new DemoAccount(issuer, http);
        String form = account.get("/login").body();
        String loginCsrf = hidden(form, "login_csrf");
        HttpResponse<String> login = account.send(HttpRequest.newBuilder(URI.create(issuer + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(Map.of("email", email, "password", password,
                        "login_csrf", loginCsrf, "return_to", "/account/api-keys")))));
        if (login.statusCode() != 303) {
            throw new IllegalStateException("login of " + email + " failed: " + login.statusCode() + " " + login.body());
        }
        return account;
    }

    /** Creates an API key; answers its secret ({@code bmcp_…}), shown once. */
    String createApiKey(String name, String projectId, List<String> scopes) throws IOException, InterruptedException {
        String csrf = hidden(get("/account/api-keys").body(), "csrf_token");
        String body = JSON.writeValueAsString(Map.of("name", name, "projectId", projectId, "scopes", scopes));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(issuer + "/account/api-keys/api"))
                .header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("API key creation failed: " + r.statusCode() + " " + r.body());
        }
        JsonNode created = JSON.readTree(r.body());
        return created.get("secret").asText();
    }

    /** A page of auth-service as this signed-in browser sees it (no redirects followed). */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(issuer + path)).GET());
    }

    /** A form posted from this signed-in browser (its cookies, no redirects followed). */
    HttpResponse<String> postForm(String path, Map<String, String> fields) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(issuer + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(fields))));
    }

    /** A request of this signed-in browser built by the caller (its cookies added). */
    HttpResponse<String> send(HttpRequest.Builder request, boolean withCookies) throws IOException, InterruptedException {
        return withCookies ? send(request) : http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String hidden(String html, String name) {
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            if (name.equals(m.group(1))) {
                return m.group(2);
            }
            if (name.equals(m.group(4))) {
                return m.group(3);
            }
        }
        throw new IllegalStateException("no hidden field " + name + " in page:\n" + html);
    }

    static String formBody(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
