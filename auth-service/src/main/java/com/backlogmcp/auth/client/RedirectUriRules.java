package com.backlogmcp.auth.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which redirect URIs a client may register: the ones real agents use (RFC 8252 native apps, OAuth 2.1 §2.3.1):
 * https anywhere; http only on a loopback host (any port); private-use schemes such as {@code cursor://} or
 * {@code vscode://}. Never a fragment, never a scheme a browser would execute or read locally.
 */
public final class RedirectUriRules {

    private static final Set<String> FORBIDDEN_SCHEMES = Set.of("javascript", "data", "file", "vbscript", "blob", "about",
            "ftp", "ws", "wss", "mailto", "tel", "chrome", "view-source");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private RedirectUriRules() {
    }

    /** Answers why the URI is refused, or empty when it is acceptable. */
    public static Optional<String> problem(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of("redirect URI is empty");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return Optional.of("redirect URI is not a valid URI: " + value);
        }
        if (!uri.isAbsolute() || uri.getScheme() == null) {
            return Optional.of("redirect URI must be absolute: " + value);
        }
        if (uri.getRawFragment() != null || value.contains("#")) {
            return Optional.of("redirect URI must not contain a fragment: " + value);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "https" -> {
                if (uri.getHost() == null || uri.getRawUserInfo() != null) {
                    return Optional.of("https redirect URI needs a host and no user info: " + value);
                }
                return Optional.empty();
            }
            case "http" -> {
                String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
                if (!LOOPBACK_HOSTS.contains(host) || uri.getRawUserInfo() != null) {
                    return Optional.of("http redirect URIs are allowed only on a loopback host (localhost, 127.0.0.1, [::1]): " + value);
                }
                return Optional.empty();
            }
            default -> {
                if (FORBIDDEN_SCHEMES.contains(scheme)) {
                    return Optional.of("redirect URI scheme is not allowed: " + scheme);
                }
                return Optional.empty();
            }
        }
    }
}
