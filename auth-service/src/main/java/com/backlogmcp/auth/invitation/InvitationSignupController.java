package com.backlogmcp.auth.invitation;

import com.backlogmcp.auth.backlog.BacklogClient;
import com.backlogmcp.auth.backlog.InvitationsClient;
import com.backlogmcp.auth.session.InvitationClaims;
import com.backlogmcp.auth.session.Sessions;
import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.auth.support.Forms;
import com.backlogmcp.auth.support.Pages;
import com.backlogmcp.auth.support.Secrets;
import com.backlogmcp.auth.user.Passwords;
import com.backlogmcp.auth.user.User;
import com.backlogmcp.auth.user.UserStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /invitations/{token}}: the link an invited person (no account yet) opens. It shows the project and role,
 * and creates the account for the invited email with the name and password they choose, signs them in and turns
 * the invitation into membership. The token is a one-time credential: once the invitation is accepted it no longer
 * opens anything, and two submissions racing with the same link create one account (the email is unique; the loser
 * is told to log in). The form carries a double-submit CSRF token like the login form.
 */
@Controller("/invitations")
@ExecuteOn(TaskExecutors.BLOCKING)
final class InvitationSignupController {

    static final String CSRF_COOKIE = "bmcp_invite_csrf";
    static final int MIN_PASSWORD = 12;

    private final InvitationsClient invitations;
    private final InvitationClaims claims;
    private final UserStore users;
    private final Passwords passwords;
    private final Sessions sessions;
    private final AuthSettings settings;

    InvitationSignupController(InvitationsClient invitations, InvitationClaims claims, UserStore users,
                               Passwords passwords, Sessions sessions, AuthSettings settings) {
        this.invitations = invitations;
        this.claims = claims;
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.settings = settings;
    }

    @Get(uri = "/{token}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> page(@PathVariable String token) {
        return withInvitation(token, invitation -> form(HttpStatus.OK, token, invitation, null, null));
    }

    @Post(uri = "/{token}", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.ALL)
    HttpResponse<?> accept(HttpRequest<?> request, @PathVariable String token, @Nullable @Body String body) {
        Forms form = Forms.parse(body);
        String expected = request.getCookies().findCookie(CSRF_COOKIE).map(Cookie::getValue).orElse(null);
        return withInvitation(token, invitation -> {
            String name = form.first("display_name") == null ? "" : form.first("display_name").trim();
            String password = form.first("password") == null ? "" : form.first("password");
            if (!Secrets.constantTimeEquals(expected, form.first("invite_csrf"))) {
                return form(HttpStatus.FORBIDDEN, token, invitation, name, "The form expired. Please try again.");
            }
            if (name.isEmpty() || name.length() > 100) {
                return form(HttpStatus.BAD_REQUEST, token, invitation, name, "Enter your name (at most 100 characters).");
            }
            if (password.length() < MIN_PASSWORD || password.length() > 1024) {
                return form(HttpStatus.BAD_REQUEST, token, invitation, name,
                        "Choose a password of at least " + MIN_PASSWORD + " characters.");
            }
            Optional<User> created = users.create(invitation.email(), name, passwords.hash(password));
            if (created.isEmpty()) {
                return Pages.error(HttpStatus.CONFLICT, "You already have an account",
                        "An account for " + invitation.email() + " exists. Log in: the invitation is accepted when you do.");
            }
            claims.claimFor(created.get());
            return HttpResponse.status(HttpStatus.SEE_OTHER).header("Location", "/account/connect")
                    .cookie(sessions.start(created.get()))
                    .cookie(csrfCookie("", Duration.ZERO));
        });
    }

    private HttpResponse<?> withInvitation(String token, java.util.function.Function<InvitationsClient.Invitation, HttpResponse<?>> then) {
        if (token.length() > 200) {
            return gone();
        }
        Optional<InvitationsClient.Invitation> invitation;
        try {
            invitation = invitations.open(token);
        } catch (BacklogClient.Unavailable e) {
            return Pages.error(HttpStatus.SERVICE_UNAVAILABLE, "Try again shortly", "The project directory is not answering.");
        }
        return invitation.map(then).orElseGet(this::gone);
    }

    private HttpResponse<?> gone() {
        return Pages.error(HttpStatus.NOT_FOUND, "Invitation not found",
                "This invitation link was already used, withdrawn or has expired. Ask the person who invited you for a new one.");
    }

    private HttpResponse<?> form(HttpStatus status, String token, InvitationsClient.Invitation invitation, String name,
                                 String error) {
        String csrf = Secrets.newSecret();
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Join " + invitation.projectName());
        model.put("invitation", invitation);
        model.put("action", "/invitations/" + token);
        model.put("inviteCsrf", csrf);
        model.put("displayName", name == null ? "" : name);
        model.put("minPassword", MIN_PASSWORD);
        model.put("error", error);
        model.put("user", null);
        return Pages.page(status, "invitation", model).cookie(csrfCookie(csrf, Duration.ofMinutes(30)));
    }

    private Cookie csrfCookie(String value, Duration maxAge) {
        return Cookie.of(CSRF_COOKIE, value).httpOnly(true).secure(settings.cookieSecure()).sameSite(SameSite.Strict)
                .path("/invitations").maxAge(maxAge);
    }
}
