package com.backlogmcp.mcp.pipeline;

import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Step 1: the credential is the bearer token of the {@code Authorization} header (RFC 6750 §2.1) and nothing
 * else: no query parameter, no cookie, no body field is ever read as one.
 */
@Singleton
final class BearerExtractionStep extends OrderedStep {

    static final int ORDER = 1;
    // RFC 6750 §2.1 b64token
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    BearerExtractionStep() {
        super(ORDER, EVERY_CALL);
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        String header = call.authorizationHeader();
        if (header == null || header.isBlank()) {
            return Optional.of(Denial.unauthenticated("No bearer token: send Authorization: Bearer <access token>.", false));
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(Denial.unauthenticated("The Authorization header must use the Bearer scheme.", false));
        }
        String token = header.substring(7).trim();
        if (!B64TOKEN.matcher(token).matches() || token.length() > 8192) {
            return Optional.of(Denial.unauthenticated("The bearer token is malformed.", true));
        }
        call.token(token);
        return Optional.empty();
    }
}
