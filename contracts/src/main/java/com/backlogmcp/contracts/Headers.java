package com.backlogmcp.contracts;

/** HTTP headers whose meaning every service agrees on. */
public final class Headers {
    /** Request id: accepted from the caller when well-formed, generated otherwise, passed on to every downstream call and logged as {@code requestId}. */
    public static final String REQUEST_ID = "X-Request-Id";

    private Headers() {
    }
}
