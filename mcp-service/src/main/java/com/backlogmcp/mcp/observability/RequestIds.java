package com.backlogmcp.mcp.observability;

import io.micronaut.core.annotation.Nullable;
import org.slf4j.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/** Request ids: a caller's id is kept when it is safe to log and forward, otherwise a new one is made. */
public final class RequestIds {
    static final String MDC_KEY = "requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    static String acceptOrCreate(String incoming) {
        return incoming != null && SAFE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    }

    /** The id of the request being served on this thread (the logging context carries it across threads), if any. */
    public static @Nullable String current() {
        return MDC.get(MDC_KEY);
    }
}
