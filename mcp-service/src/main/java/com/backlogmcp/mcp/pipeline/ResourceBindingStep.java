package com.backlogmcp.mcp.pipeline;

import com.backlogmcp.contracts.vocabulary.ErrorType;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step 7: every id in the arguments belongs to this project. backlog-service is the authority (it alone knows
 * which item, comment or release lives where, and answers NOT_FOUND for a foreign id inside the tool). The edge
 * refuses up front what it can see without a database: an argument naming another project, by a
 * {@code projectId} field or a {@code backlog://projects/…} URI. The project always comes from the URL.
 */
@Singleton
final class ResourceBindingStep extends OrderedStep {

    static final int ORDER = 7;
    private static final Set<String> PROJECT_KEYS = Set.of("projectId", "project_id", "project");
    private static final Pattern PROJECT_URI = Pattern.compile("backlog://projects/([^/?#]+)");
    private static final int MAX_DEPTH = 32;

    ResourceBindingStep() {
        super(ORDER, TOOL_CALLS);
    }

    @Override
    public Optional<Denial> apply(McpCall call) {
        Optional<String> foreign = foreignProject(call.arguments(), call.projectId(), 0);
        return foreign.map(other -> Denial.of(ErrorType.NOT_FOUND, 200,
                "No such record in this project: the arguments refer to another project (" + other + ")."));
    }

    private static Optional<String> foreignProject(Object value, String projectId, int depth) {
        if (depth > MAX_DEPTH) {
            return Optional.of("(too deeply nested)");
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (PROJECT_KEYS.contains(String.valueOf(e.getKey())) && e.getValue() instanceof String s && !s.equals(projectId)) {
                    return Optional.of(s);
                }
                Optional<String> inner = foreignProject(e.getValue(), projectId, depth + 1);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        } else if (value instanceof Collection<?> list) {
            for (Object o : list) {
                Optional<String> inner = foreignProject(o, projectId, depth + 1);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        } else if (value instanceof String s) {
            Matcher m = PROJECT_URI.matcher(s);
            while (m.find()) {
                if (!m.group(1).equals(projectId)) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }
}
