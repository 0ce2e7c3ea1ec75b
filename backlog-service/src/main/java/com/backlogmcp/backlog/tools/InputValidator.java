package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.catalog.ToolDefinition;
import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.backlog.support.ToolFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.Comparator;
import java.util.Set;

/**
 * Checks tool arguments against the tool's published input schema (JSON Schema 2020-12), the same document the
 * agent sees, so the catalog cannot promise one thing and the executor accept another. The first failure (in a
 * stable order) becomes a VALIDATION_ERROR naming the field path, e.g. {@code title} or {@code labels[2]}.
 */
final class InputValidator {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final JsonSchema schema;

    InputValidator(ToolDefinition definition) {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_PATH)
                .build();
        this.schema = FACTORY.getSchema(Json.tree(definition.inputSchema()), config);
    }

    void validate(JsonNode arguments) {
        StorableText.firstUnstorable(arguments, "").ifPresent(problem -> {
            throw ToolFailure.invalid(problem.field().isEmpty() ? "arguments" : problem.field(), problem.reason());
        });
        Set<ValidationMessage> errors = schema.validate(arguments);
        if (errors.isEmpty()) {
            return;
        }
        ValidationMessage first = errors.stream()
                .min(Comparator.comparing(InputValidator::field).thenComparing(ValidationMessage::getMessage))
                .orElseThrow();
        throw ToolFailure.invalid(field(first), explain(first));
    }

    /** The argument the message is about: its instance path, plus the property for required/unknown-key errors. */
    static String field(ValidationMessage m) {
        String path = m.getInstanceLocation().toString();
        String field = path.startsWith("$.") ? path.substring(2) : path.startsWith("$") ? path.substring(1) : path;
        String property = m.getProperty();
        if (property != null && ("required".equals(m.getType()) || "additionalProperties".equals(m.getType()))) {
            field = field.isEmpty() ? property : field + "." + property;
        }
        return field.isEmpty() ? "arguments" : field;
    }

    private static String explain(ValidationMessage m) {
        String text = m.getMessage();
        // The library prefixes the message with the instance path; the field is already named in front of it.
        int colon = text.indexOf(": ");
        String reason = text.startsWith("$") && colon > 0 ? text.substring(colon + 2) : text;
        if ("additionalProperties".equals(m.getType())) {
            return "is not an argument of this tool";
        }
        if ("required".equals(m.getType())) {
            return "is required";
        }
        return reason;
    }
}
