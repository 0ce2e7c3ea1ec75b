package com.backlogmcp.auth.session;

import com.backlogmcp.auth.support.Secrets;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;

/**
 * Session checks shared by the account pages and their JSON APIs. A JSON call that changes something must carry the
 * session's CSRF token in {@code X-CSRF-Token}: a custom header cannot be sent cross-site without a CORS preflight.
 */
@Singleton
public class AccountSession {

    public static final String CSRF_HEADER = "X-CSRF-Token";
    private final Sessions sessions;

    AccountSession(Sessions sessions) {
        this.sessions = sessions;
    }

    public Optional<Session> current(HttpRequest<?> request) {
        return sessions.current(request);
    }

    public boolean csrfValid(Session session, String presented) {
        return sessions.csrfValid(session, presented);
    }

    /** For pages: send an anonymous visitor to log in and come back. */
    public HttpResponse<?> loginRedirect(HttpRequest<?> request) {
        return HttpResponse.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION,
                "/login?return_to=" + java.net.URLEncoder.encode(request.getPath(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** For JSON APIs: 401 without a session, 403 for a mutating call without the CSRF header; else empty. */
    public Optional<HttpResponse<?>> rejectApi(HttpRequest<?> request, Optional<Session> session, boolean mutating) {
        if (session.isEmpty()) {
            return Optional.of(HttpResponse.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "unauthenticated", "message", "log in first")));
        }
        if (mutating && !Secrets.constantTimeEquals(session.get().csrfToken(), request.getHeaders().get(CSRF_HEADER))) {
            return Optional.of(HttpResponse.status(HttpStatus.FORBIDDEN).body(Map.of("error", "csrf", "message", "missing or wrong " + CSRF_HEADER + " header")));
        }
        return Optional.empty();
    }
}
