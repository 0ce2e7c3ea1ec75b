package com.backlogmcp.backlog.tools;

import com.backlogmcp.backlog.catalog.SharedSchemas;
import com.backlogmcp.backlog.support.ToolFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** Typed reads of arguments that already passed the tool's input schema. */
public final class Arguments {

    private final ObjectNode node;

    public Arguments(ObjectNode node) {
        this.node = node;
    }

    public ObjectNode node() {
        return node;
    }

    /** The argument is present (possibly null, which means "clear it" for nullable fields). */
    public boolean has(String name) {
        return node.has(name);
    }

    public boolean isNull(String name) {
        return node.has(name) && node.get(name).isNull();
    }

    public String text(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    public String requiredText(String name) {
        String v = text(name);
        if (v == null) {
            throw ToolFailure.invalid(name, "is required");
        }
        return v;
    }

    public boolean flag(String name) {
        JsonNode v = node.get(name);
        return v != null && v.asBoolean(false);
    }

    public Boolean optionalFlag(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v.asBoolean();
    }

    public Long optionalLong(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v.asLong();
    }

    public int limit() {
        JsonNode v = node.get("limit");
        return v == null || v.isNull() ? SharedSchemas.DEFAULT_LIMIT : v.asInt();
    }

    public List<String> strings(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        v.forEach(e -> out.add(e.asText()));
        return out;
    }

    public JsonNode raw(String name) {
        return node.get(name);
    }
}
