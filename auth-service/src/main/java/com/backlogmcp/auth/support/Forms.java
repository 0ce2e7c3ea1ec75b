package com.backlogmcp.auth.support;

import com.nimbusds.oauth2.sdk.util.URLUtils;

import java.util.List;
import java.util.Map;

/** A decoded application/x-www-form-urlencoded body (repeated fields such as {@code scope} checkboxes kept). */
public record Forms(Map<String, List<String>> values) {

    public static Forms parse(String body) {
        return new Forms(URLUtils.parseParameters(body == null ? "" : body));
    }

    public String first(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }
}
