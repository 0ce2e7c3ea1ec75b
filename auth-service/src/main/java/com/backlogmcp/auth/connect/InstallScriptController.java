package com.backlogmcp.auth.connect;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the agent installer, a dependency-free Node.js script kept in {@code src/main/resources/install/}, so the
 * connect page can offer {@code curl -fsSL <issuer>/install/backlog-mcp.cjs | node - --url …} as one line.
 */
@Controller("/install")
final class InstallScriptController {

    static final String SCRIPT_NAME = "backlog-mcp.cjs";
    private final byte[] script;

    InstallScriptController() {
        try (InputStream in = InstallScriptController.class.getResourceAsStream("/install/" + SCRIPT_NAME)) {
            if (in == null) {
                throw new IllegalStateException("install/" + SCRIPT_NAME + " is missing from the classpath");
            }
            script = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(uri = "/" + SCRIPT_NAME, produces = "text/javascript;charset=utf-8")
    HttpResponse<byte[]> script() {
        return HttpResponse.ok(script)
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
                .header("X-Content-Type-Options", "nosniff");
    }
}
