package com.backlogmcp.auth.authorize;

import com.backlogmcp.contracts.internal.AuthzContext;
import com.backlogmcp.contracts.vocabulary.Plan;
import com.backlogmcp.contracts.vocabulary.Role;
import com.backlogmcp.contracts.vocabulary.Scope;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the consent page offers: each requested scope, enabled or disabled with the reason (a Free plan
 * cannot grant write scopes; a scope the user's role cannot use is not grantable), and whether the request is refused
 * outright (not a member, MCP add-on off, workspace suspended).
 */
final class ConsentOptions {

    /** One checkbox on the consent page. */
    record ScopeOption(String value, String description, boolean write, boolean enabled, String reason) {
    }

    /** A request refused outright, with the page text. */
    record Refusal(String title, String message) {
    }

    private ConsentOptions() {
    }

    static Optional<Refusal> refusal(AuthzContext ctx) {
        // Membership first: a non-member learns nothing about the workspace's state.
        if (!ctx.member()) {
            return Optional.of(new Refusal("You are not a member of this project",
                    "Your account is not a member of \"" + ctx.projectName() + "\". Ask a project admin to invite you, then connect the agent again."));
        }
        if (ctx.suspended()) {
            return Optional.of(new Refusal("This workspace is suspended",
                    "The workspace \"" + ctx.workspaceName() + "\" is suspended, so no agent can be connected. Contact the platform administrator."));
        }
        if (!ctx.mcpEnabled()) {
            return Optional.of(new Refusal("The MCP add-on is switched off",
                    "The workspace \"" + ctx.workspaceName() + "\" does not have the MCP add-on enabled, so agents cannot be connected. Ask a workspace admin to enable it."));
        }
        return Optional.empty();
    }

    static List<ScopeOption> options(List<Scope> requested, AuthzContext ctx) {
        Plan plan = Plan.fromWire(ctx.plan()).orElse(Plan.FREE);
        Role role = Role.fromWire(ctx.role()).orElse(Role.VIEWER);
        return requested.stream().map(s -> {
            String reason = null;
            if (s.isWrite() && !plan.allowsWrites()) {
                reason = "The " + label(plan.wire()) + " plan allows read access only.";
            } else if (!role.atLeast(s.minimumRole())) {
                reason = "Needs the " + s.minimumRole().wire() + " role; you are " + article(role.wire()) + " " + role.wire() + ".";
            }
            return new ScopeOption(s.value(), s.description(), s.isWrite(), reason == null, reason);
        }).toList();
    }

    private static String label(String wire) {
        return wire.substring(0, 1).toUpperCase(Locale.ROOT) + wire.substring(1);
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }
}
