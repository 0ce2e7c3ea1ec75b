package com.backlogmcp.auth.session;

import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.auth.support.Forms;
import com.backlogmcp.auth.support.Pages;
import com.backlogmcp.auth.support.Secrets;
import com.backlogmcp.auth.user.Authentication;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /login} and {@code /logout}. The login form carries a double-submit CSRF token (cookie + field) so another
 * site cannot log a browser into an attacker's account; logout needs the session's CSRF token.
 */
@Controller
final class LoginController {

    static final String LOGIN_CSRF_COOKIE = "bmcp_login_csrf";
    private static final String DEFAULT_RETURN = "/account/apps";

    private final Authentication authentication;
    private final Sessions sessions;
    private final AuthSettings settings;
    private final InvitationClaims invitationClaims;

    LoginController(Authentication authentication, Sessions sessions, AuthSettings settings,
                    InvitationClaims invitationClaims) {
        this.authentication = authentication;
        this.sessions = sessions;
        this.settings = settings;
        this.invitationClaims = invitationClaims;
    }

    @Get(uris = {"/login", "/"}, produces = MediaType.TEXT_HTML)
    HttpResponse<?> loginPage(HttpRequest<?> request, @Nullable @QueryValue("return_to") String returnTo) {
        if (sessions.current(request).isPresent()) {
            return HttpResponse.status(HttpStatus.FOUND).header("Location", safeReturnTo(returnTo));
        }
        return loginForm(HttpStatus.OK, safeReturnTo(returnTo), null, null);
    }

    @Post(uri = "/login", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.ALL)
    HttpResponse<?> login(HttpRequest<?> request, @Nullable @Body String body) {
        Forms form = Forms.parse(body);
        String returnTo = safeReturnTo(form.first("return_to"));
        String expected = request.getCookies().findCookie(LOGIN_CSRF_COOKIE).map(Cookie::getValue).orElse(null);
        if (!Secrets.constantTimeEquals(expected, form.first("login_csrf"))) {
            return loginForm(HttpStatus.FORBIDDEN, returnTo, form.first("email"), "The login form expired. Please try again.");
        }
        String address = settings.clientAddress(request);
        return switch (authentication.login(form.first("email"), form.first("password"), address)) {
            case Authentication.Success s -> HttpResponse.status(HttpStatus.SEE_OTHER).header("Location", returnTo)
                    .cookie(startSession(s))
                    .cookie(loginCsrfCookie("", Duration.ZERO));
            case Authentication.Throttled t -> loginForm(HttpStatus.TOO_MANY_REQUESTS, returnTo, form.first("email"),
                    "Too many failed attempts. Wait 15 minutes and try again.");
            case Authentication.Failure f -> loginForm(HttpStatus.UNAUTHORIZED, returnTo, form.first("email"), "Wrong email or password.");
        };
    }

    /** Signing in is when invitations sent to the user's email become memberships. */
    private Cookie startSession(Authentication.Success success) {
        invitationClaims.claimFor(success.user());
        return sessions.start(success.user());
    }

    @Post(uri = "/logout", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.ALL)
    HttpResponse<?> logout(HttpRequest<?> request, @Nullable @Body String body) {
        Optional<Session> session = sessions.current(request);
        if (session.isEmpty()) {
            return HttpResponse.status(HttpStatus.SEE_OTHER).header("Location", "/login");
        }
        if (!sessions.csrfValid(session.get(), Forms.parse(body).first("csrf_token"))) {
            return Pages.error(HttpStatus.FORBIDDEN, "Request refused", "Missing or wrong CSRF token.");
        }
        return HttpResponse.status(HttpStatus.SEE_OTHER).header("Location", "/login").cookie(sessions.end(session.get()));
    }

    private HttpResponse<?> loginForm(HttpStatus status, String returnTo, String email, String error) {
        String csrf = Secrets.newSecret();
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Log in");
        model.put("returnTo", returnTo);
        model.put("loginCsrf", csrf);
        model.put("email", email == null ? "" : email);
        model.put("error", error);
        return Pages.page(status, "login", model).cookie(loginCsrfCookie(csrf, Duration.ofMinutes(30)));
    }

    private Cookie loginCsrfCookie(String value, Duration maxAge) {
        return Cookie.of(LOGIN_CSRF_COOKIE, value).httpOnly(true).secure(settings.cookieSecure()).sameSite(SameSite.Strict)
                .path("/login").maxAge(maxAge);
    }

    /** Only a local path may follow login (no scheme, no {@code //host}), so /login cannot become an open redirect. */
    static String safeReturnTo(String value) {
        return ReturnPath.orElse(value, DEFAULT_RETURN);
    }
}
