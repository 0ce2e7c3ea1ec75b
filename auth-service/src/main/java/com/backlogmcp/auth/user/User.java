package com.backlogmcp.auth.user;

/** A person who logs in. The password hash never leaves {@link UserStore}. */
public record User(String id, String email, String displayName, boolean platformAdmin) {
}
