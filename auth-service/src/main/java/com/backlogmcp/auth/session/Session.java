package com.backlogmcp.auth.session;

import com.backlogmcp.auth.user.User;

/** A logged-in browser: the user and the CSRF token every state-changing form of this session must carry. */
public record Session(User user, String csrfToken, String idHash) {
}
