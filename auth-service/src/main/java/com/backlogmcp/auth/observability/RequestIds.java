package com.backlogmcp.auth.observability;

import java.util.UUID;
import java.util.regex.Pattern;

/** Request ids: a caller's id is kept when it is safe to log and forward, otherwise a new one is made. */
final class RequestIds {
    static final String MDC_KEY = "requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    static String acceptOrCreate(String incoming) {
        return incoming != null && SAFE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    }
}
