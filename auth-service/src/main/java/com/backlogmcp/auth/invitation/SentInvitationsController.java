package com.backlogmcp.auth.invitation;

import com.backlogmcp.auth.backlog.BacklogClient;
import com.backlogmcp.auth.backlog.InvitationsClient;
import com.backlogmcp.auth.session.AccountSession;
import com.backlogmcp.auth.session.Session;
import com.backlogmcp.auth.support.Forms;
import com.backlogmcp.auth.support.Pages;
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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /account/invitations}: the open invitations the signed-in user sent by email (through an agent's
 * invite_member), with their expiry, and a button to withdraw one.
 */
@Controller("/account/invitations")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SentInvitationsController {

    private final InvitationsClient invitations;
    private final AccountSession account;

    SentInvitationsController(InvitationsClient invitations, AccountSession account) {
        this.invitations = invitations;
        this.account = account;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> page(HttpRequest<?> request) {
        Optional<Session> session = account.current(request);
        return session.isEmpty() ? account.loginRedirect(request) : render(session.get(), HttpStatus.OK, null);
    }

    @Post(uri = "/{invitationId}/revoke", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.ALL)
    HttpResponse<?> revoke(HttpRequest<?> request, @PathVariable String invitationId, @Nullable @Body String body) {
        Optional<Session> session = account.current(request);
        if (session.isEmpty()) {
            return account.loginRedirect(request);
        }
        if (!account.csrfValid(session.get(), Forms.parse(body).first("csrf_token"))) {
            return Pages.error(HttpStatus.FORBIDDEN, "Request refused", "Missing or wrong CSRF token.");
        }
        try {
            boolean done = invitations.revoke(invitationId, session.get().user().id());
            return render(session.get(), done ? HttpStatus.OK : HttpStatus.NOT_FOUND,
                    done ? null : "That invitation is no longer open.");
        } catch (BacklogClient.Unavailable e) {
            return render(session.get(), HttpStatus.SERVICE_UNAVAILABLE, "The project directory is not answering; try again.");
        }
    }

    private HttpResponse<?> render(Session session, HttpStatus status, String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Invitations");
        model.put("user", session.user());
        model.put("csrf", session.csrfToken());
        List<InvitationsClient.Invitation> sent;
        try {
            sent = invitations.sentBy(session.user().id());
        } catch (BacklogClient.Unavailable e) {
            sent = List.of();
            error = "The project directory is not answering; the list may be incomplete.";
            status = HttpStatus.SERVICE_UNAVAILABLE;
        }
        model.put("invitations", sent);
        model.put("error", error);
        return Pages.page(status, "invitations", model);
    }
}
