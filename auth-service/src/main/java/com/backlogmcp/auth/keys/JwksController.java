package com.backlogmcp.auth.keys;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** {@code GET /oauth/jwks}: the public signing keys (current and previous). Cached briefly by verifiers. */
@Controller("/oauth/jwks")
final class JwksController {

    private final SigningKeys keys;

    JwksController(SigningKeys keys) {
        this.keys = keys;
    }

    @Get(produces = "application/jwk-set+json")
    HttpResponse<String> jwks() {
        return HttpResponse.ok(keys.publicJwks().toString(true))
                .contentType(MediaType.of("application/jwk-set+json"))
                .header("Cache-Control", "public, max-age=60");
    }
}
