package com.backlogmcp.backlog.catalog;

import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.contracts.vocabulary.Scope;
import jakarta.inject.Singleton;

import java.util.List;

/** The prompts every project offers; their messages are built from live project data by the prompts feature. */
@Singleton
public final class PromptCatalog {

    public static final String SUMMARISE_PROJECT_STATUS = "summarise_project_status";
    public static final String CREATE_ISSUE_FROM_CONTEXT = "create_issue_from_context";
    public static final String TRIAGE_INBOX = "triage_inbox";

    public List<Catalog.Prompt> prompts() {
        return List.of(
                new Catalog.Prompt(SUMMARISE_PROJECT_STATUS, "Summarise project status",
                        "A status report of the project from live data: counts by status, the active release and the "
                                + "oldest open items.",
                        List.of(new Catalog.PromptArgument("audience",
                                "Who reads the summary (e.g. team, stakeholders); shapes tone and detail.", false)),
                        Scope.BACKLOG_READ.value()),
                new Catalog.Prompt(CREATE_ISSUE_FROM_CONTEXT, "Create an issue from context",
                        "Turns a pasted context (error log, chat excerpt, user report) into a well-formed backlog item "
                                + "and asks the agent to check for duplicates with search before calling create_item.",
                        List.of(new Catalog.PromptArgument("context", "The text to turn into an issue.", true),
                                new Catalog.PromptArgument("type",
                                        "Item type to use, e.g. bug_report or feature_request.", false)),
                        Scope.BACKLOG_WRITE.value()),
                new Catalog.Prompt(TRIAGE_INBOX, "Triage the inbox",
                        "Walks through open inbox conversations and proposes for each: reply, link to an item, or close.",
                        List.of(new Catalog.PromptArgument("limit", "How many open conversations to include (1-20).",
                                false)),
                        Scope.INBOX_READ.value()));
    }
}
