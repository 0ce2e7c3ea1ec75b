package com.backlogmcp.backlog.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Set;

/**
 * Strict parsing of internal request bodies: a JSON object with only the known keys, and text where text is due.
 * Anything else is a {@link BadRequest} (400 with a JSON message), never a 500 and never half-applied.
 */
public final class RequestBodies {

    private RequestBodies() {
    }

    public static ObjectNode object(String body, Set<String> allowedKeys) {
        if (body == null || body.isBlank()) {
            throw new BadRequest("invalid_request", "a JSON object body is required");
        }
        JsonNode node;
        try {
            node = Json.parse(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("invalid_json", "the body is not valid JSON");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new BadRequest("invalid_request", "the body must be a JSON object");
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowedKeys.contains(name)) {
                throw new BadRequest("invalid_request", "unknown field: " + name);
            }
        }
        return object;
    }

    public static String requiredText(ObjectNode body, String key) {
        String value = optionalText(body, key);
        if (value == null || value.isBlank()) {
            throw new BadRequest("invalid_request", key + " is required");
        }
        return value;
    }

    public static String optionalText(ObjectNode body, String key) {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new BadRequest("invalid_request", key + " must be a string");
        }
        return v.asText();
    }

    public static Boolean optionalBoolean(ObjectNode body, String key) {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new BadRequest("invalid_request", key + " must be true or false");
        }
        return v.asBoolean();
    }

    public static ObjectNode optionalObject(ObjectNode body, String key) {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!(v instanceof ObjectNode o)) {
            throw new BadRequest("invalid_request", key + " must be a JSON object");
        }
        return o;
    }
}
