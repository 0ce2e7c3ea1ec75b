package com.backlogmcp.auth.token;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;

/** A token-endpoint failure carrying its RFC 6749 §5.2 error (code, description, HTTP status). */
public final class OAuthException extends Exception {

    /** RFC 8707 §2: the requested resource is invalid, unknown or malformed. */
    public static final ErrorObject INVALID_TARGET = new ErrorObject("invalid_target", "Invalid target resource", 400);

    private final transient ErrorObject error;
    private final boolean basicAuthAttempted;

    public OAuthException(ErrorObject error, String description) {
        this(error, description, false);
    }

    public OAuthException(ErrorObject error, String description, boolean basicAuthAttempted) {
        super(error.getCode() + ": " + description);
        this.error = error.setDescription(description);
        this.basicAuthAttempted = basicAuthAttempted;
    }

    public ErrorObject error() {
        return error;
    }

    /** RFC 6749 §5.2: a failed HTTP Basic client authentication answers 401 with a matching WWW-Authenticate. */
    public boolean basicAuthAttempted() {
        return basicAuthAttempted;
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException(OAuth2Error.INVALID_GRANT, description);
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(OAuth2Error.INVALID_REQUEST, description);
    }
}
