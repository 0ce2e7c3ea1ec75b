package com.backlogmcp.backlog.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small builder for JSON Schema 2020-12 documents, so each tool states its schema in a few readable lines.
 * Object schemas are closed ({@code additionalProperties: false}) unless opened: an unknown argument is an error
 * the agent should hear about, not something silently ignored.
 */
public final class Schema {

    public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private final Map<String, Object> node = new LinkedHashMap<>();
    private Map<String, Object> properties;
    private List<String> required;

    private Schema(String type) {
        if (type != null) {
            node.put("type", type);
        }
    }

    public static Schema string() {
        return new Schema("string");
    }

    public static Schema nullableString() {
        Schema s = new Schema(null);
        s.node.put("type", List.of("string", "null"));
        return s;
    }

    /** Any JSON value (a changed field's old or new value, whose type depends on the field). */
    public static Schema any() {
        return new Schema(null);
    }

    public static Schema integer() {
        return new Schema("integer");
    }

    public static Schema number() {
        return new Schema("number");
    }

    public static Schema bool() {
        return new Schema("boolean");
    }

    public static Schema object() {
        Schema s = new Schema("object");
        s.properties = new LinkedHashMap<>();
        s.required = new ArrayList<>();
        s.node.put("additionalProperties", false);
        return s;
    }

    /** An object whose keys the schema does not fix (used for outputs that grow without breaking readers). */
    public static Schema openObject() {
        Schema s = object();
        s.node.put("additionalProperties", true);
        return s;
    }

    public static Schema array(Schema items) {
        Schema s = new Schema("array");
        s.node.put("items", items.build());
        return s;
    }

    public static Schema enumOf(List<String> values) {
        Schema s = string();
        s.node.put("enum", List.copyOf(values));
        return s;
    }

    public static Schema enumOf(String... values) {
        return enumOf(Arrays.asList(values));
    }

    public static Schema ref(String pointer) {
        Schema s = new Schema(null);
        s.node.put("$ref", pointer);
        return s;
    }

    /** Either of the given schemas; used for "this or null". */
    public static Schema anyOf(Schema... options) {
        Schema s = new Schema(null);
        s.node.put("anyOf", Arrays.stream(options).map(Schema::build).toList());
        return s;
    }

    public static Schema nullable(Schema inner) {
        Map<String, Object> nullType = new LinkedHashMap<>();
        nullType.put("type", "null");
        Schema s = new Schema(null);
        s.node.put("anyOf", List.of(inner.build(), nullType));
        return s;
    }

    public Schema description(String text) {
        node.put("description", text);
        return this;
    }

    public Schema title(String text) {
        node.put("title", text);
        return this;
    }

    public Schema minLength(int n) {
        node.put("minLength", n);
        return this;
    }

    public Schema maxLength(int n) {
        node.put("maxLength", n);
        return this;
    }

    public Schema pattern(String regex) {
        node.put("pattern", regex);
        return this;
    }

    public Schema format(String format) {
        node.put("format", format);
        return this;
    }

    public Schema minimum(long n) {
        node.put("minimum", n);
        return this;
    }

    public Schema maximum(long n) {
        node.put("maximum", n);
        return this;
    }

    public Schema defaultValue(Object value) {
        node.put("default", value);
        return this;
    }

    public Schema minItems(int n) {
        node.put("minItems", n);
        return this;
    }

    public Schema maxItems(int n) {
        node.put("maxItems", n);
        return this;
    }

    public Schema uniqueItems() {
        node.put("uniqueItems", true);
        return this;
    }

    public Schema minProperties(int n) {
        node.put("minProperties", n);
        return this;
    }

    public Schema prop(String name, Schema schema) {
        properties.put(name, schema.build());
        return this;
    }

    public Schema props(Map<String, Schema> more) {
        more.forEach(this::prop);
        return this;
    }

    public Schema required(String... names) {
        required.addAll(Arrays.asList(names));
        return this;
    }

    public Schema defs(Map<String, Schema> definitions) {
        Map<String, Object> defs = new LinkedHashMap<>();
        definitions.forEach((k, v) -> defs.put(k, v.build()));
        node.put("$defs", defs);
        return this;
    }

    /** The document as a top-level schema, with the 2020-12 dialect declared. */
    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("$schema", DIALECT);
        doc.putAll(build());
        return doc;
    }

    public Map<String, Object> build() {
        Map<String, Object> out = new LinkedHashMap<>();
        node.forEach((k, v) -> {
            if (!k.equals("additionalProperties")) {
                out.put(k, v);
            }
        });
        if (properties != null) {
            out.put("properties", new LinkedHashMap<>(properties));
            if (!required.isEmpty()) {
                out.put("required", List.copyOf(required));
            }
            out.put("additionalProperties", node.get("additionalProperties"));
        }
        return out;
    }
}
