package com.backlogmcp.backlog.support;

/** A request the caller must fix; answered 400 with {@code {"error": code, "message": …}}. */
public final class BadRequest extends RuntimeException {

    private final String code;

    public BadRequest(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
