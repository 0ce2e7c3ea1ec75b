package com.backlogmcp.contracts.vocabulary;

/** {@code error_type} values (docs/tool-conventions.md, docs/architecture.md §2), each with the default one-line hint an agent gets. */
public enum ErrorType {
    UNAUTHENTICATED("Obtain a new access token: re-run the OAuth flow or refresh the token."),
    INSUFFICIENT_SCOPE("Ask the user to re-authorize with the scope named in the error."),
    FORBIDDEN("Your role in this project does not allow this tool; ask a project admin."),
    NOT_A_MEMBER("The user is no longer a member of this project; ask a project admin to re-invite them."),
    PLAN_READ_ONLY("The workspace's plan allows read tools only; upgrade the plan to use write tools."),
    MCP_DISABLED("The MCP add-on is switched off for this workspace; ask a workspace admin to enable it."),
    WORKSPACE_SUSPENDED("The workspace is suspended; contact the platform administrator."),
    NOT_FOUND("Check the id: list the project's records to find a valid one."),
    VALIDATION_ERROR("Fix the argument named in the error and call the tool again."),
    CONFLICT("The record changed meanwhile; fetch it again and retry."),
    QUOTA_EXCEEDED("The project's daily tool-call quota is spent; try again after resets_at or upgrade the plan."),
    RATE_LIMITED("Too many calls this minute; wait for Retry-After seconds, then retry."),
    UPSTREAM_UNAVAILABLE("A backend service is unavailable; retry in a few seconds.");

    private final String hint;

    ErrorType(String hint) {
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
