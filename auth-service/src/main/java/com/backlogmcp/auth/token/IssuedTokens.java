package com.backlogmcp.auth.token;

/** What a grant handler hands back: the access token, its scope, and the new refresh token. */
public record IssuedTokens(String accessToken, String scope, String refreshToken) {
}
