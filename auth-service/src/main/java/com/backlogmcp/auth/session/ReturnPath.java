package com.backlogmcp.auth.session;

/**
 * Where the login page may send the browser afterwards: only a path on this host. The value comes from the query
 * string, so it is judged the way a browser will read it, not the way {@code java.net.URI} does: a browser drops tabs and
 * newlines anywhere ({@code /\t/evil.example} becomes {@code //evil.example}), trims spaces and control characters,
 * reads {@code \} as {@code /} ({@code /\evil.example}), and takes {@code //host} as another host. Our own return
 * paths are percent-encoded ASCII, so anything else is refused rather than repaired.
 */
final class ReturnPath {

    private ReturnPath() {
    }

    /** The value when it is a same-host path, else {@code fallback}. */
    static String orElse(String value, String fallback) {
        return isLocalPath(value) ? value : fallback;
    }

    static boolean isLocalPath(String value) {
        if (value == null || value.length() < 1 || value.length() > 2048 || value.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return false;
            }
        }
        // What is left is printable ASCII starting with one '/': a browser resolves it as a path on this host.
        return value.length() == 1 || value.charAt(1) != '/';
    }
}
