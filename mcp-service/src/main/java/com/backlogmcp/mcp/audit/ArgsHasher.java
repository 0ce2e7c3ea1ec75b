package com.backlogmcp.mcp.audit;

import com.backlogmcp.mcp.config.EdgeConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.json.JsonMapper;
import org.erdtman.jcs.JsonCanonicalizer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code argsHash} of {@code mcp.tool-calls.v1}: HMAC-SHA256 keyed with ARGS_HASH_SECRET over the RFC 8785 canonical JSON of a
 * call's arguments. Canonical form makes equal arguments hash equally whatever their key order or number
 * spelling; the key makes a short argument (an id, a status) impossible to guess back from its hash.
 */
// Built at start-up, so a missing or too-short secret stops the service with a message naming the variable.
@Context
public class ArgsHasher {

    private static final String HMAC = "HmacSHA256";

    private final JsonMapper json;
    /**
     * Keyed once at start-up and cloned per call: {@code Mac.getInstance} plus {@code init} on every tool call cost a
     * provider look-up and a key schedule each time; a clone of an initialised Mac is a copy of its state.
     */
    private final Mac keyed;
    private final SecretKeySpec key;

    public ArgsHasher(JsonMapper json, EdgeConfiguration config) {
        String secret = config.argsHashSecret();
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("ARGS_HASH_SECRET must be at least 32 bytes");
        }
        this.json = json;
        try {
            this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
            this.keyed = Mac.getInstance(HMAC);
            this.keyed.init(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public String hash(Map<String, Object> arguments) {
        try {
            String canonical = new JsonCanonicalizer(json.writeValueAsString(arguments == null ? Map.of() : arguments)).getEncodedString();
            return HexFormat.of().formatHex(mac().doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot hash arguments", e);
        }
    }

    private Mac mac() {
        try {
            return (Mac) keyed.clone();
        } catch (CloneNotSupportedException e) {
            // Every JDK provider of HmacSHA256 is cloneable; a provider that is not gets keyed afresh.
            try {
                Mac fresh = Mac.getInstance(HMAC);
                fresh.init(key);
                return fresh;
            } catch (GeneralSecurityException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
