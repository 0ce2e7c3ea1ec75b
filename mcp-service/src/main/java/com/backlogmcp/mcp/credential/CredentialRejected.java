package com.backlogmcp.mcp.credential;

/** A presented credential is not valid (bad signature, expired, unknown key, inactive, malformed). */
public final class CredentialRejected extends Exception {
    public CredentialRejected(String reason) {
        super(reason, null, false, false);
    }
}
