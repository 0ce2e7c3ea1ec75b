package com.backlogmcp.auth.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.Scope;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** Scope narrowing at the token endpoint (RFC 6749 §3.3, §6): a request may only ask for a subset of what was granted. */
final class Scopes {

    private Scopes() {
    }

    static String narrow(String granted, Scope requested) throws OAuthException {
        if (requested == null || requested.isEmpty()) {
            return granted;
        }
        Set<String> grantedSet = new LinkedHashSet<>(Arrays.asList(granted.split(" ")));
        for (Scope.Value v : requested) {
            if (!grantedSet.contains(v.getValue())) {
                throw new OAuthException(OAuth2Error.INVALID_SCOPE, "scope " + v.getValue() + " was not granted");
            }
        }
        return String.join(" ", requested.toStringList());
    }
}
