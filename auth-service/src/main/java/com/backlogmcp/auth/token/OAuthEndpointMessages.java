package com.backlogmcp.auth.token;

import com.backlogmcp.auth.support.NimbusRequests;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.util.List;
import java.util.Map;

/**
 * The one request parser and error renderer of the back-channel OAuth endpoints — token (RFC 6749 §3.2), revocation
 * (RFC 7009) and introspection (RFC 7662) — so their rules cannot drift apart: a form-encoded body whose parameters
 * each appear at most once, and errors as RFC 6749 §5.2 JSON with {@code Cache-Control: no-store}, 401 plus a
 * challenge for a failed client authentication.
 */
public final class OAuthEndpointMessages {

    /** The challenge of a failed HTTP Basic client authentication (RFC 6749 §5.2). */
    static final String BASIC_CHALLENGE = "Basic realm=\"backlog-mcp\"";

    /** A parsed request: its single-valued parameters and the same request for Nimbus's message parsers. */
    public record Form(Map<String, String> parameters, HTTPRequest nimbus, boolean basicAuthAttempted) {

        @Nullable
        public String get(String name) {
            return parameters.get(name);
        }

        /** Runs a Nimbus parser, turning its complaint into the endpoint's error. */
        public <T> T parse(NimbusParser<T> parser) throws OAuthException {
            try {
                return parser.parse(nimbus);
            } catch (ParseException e) {
                ErrorObject error = e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST;
                throw new OAuthException(error, e.getMessage(), basicAuthAttempted);
            }
        }
    }

    /** A Nimbus {@code XxxRequest::parse}. */
    @FunctionalInterface
    public interface NimbusParser<T> {
        T parse(HTTPRequest request) throws ParseException;
    }

    private OAuthEndpointMessages() {
    }

    public static Form parse(HttpRequest<?> request, @Nullable String body, String issuerBase) throws OAuthException {
        String auth = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        boolean basic = auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6);
        MediaType type = request.getContentType().orElse(null);
        if (type == null || !MediaType.APPLICATION_FORM_URLENCODED_TYPE.matches(type)) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "the body must be application/x-www-form-urlencoded", basic);
        }
        String form = body == null ? "" : body;
        Map<String, List<String>> all = URLUtils.parseParameters(form);
        Map<String, String> single = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : all.entrySet()) {
            // RFC 6749 §3.2: request parameters must not be included more than once.
            if (e.getValue().size() > 1) {
                throw new OAuthException(OAuth2Error.INVALID_REQUEST, "parameter " + e.getKey() + " is repeated", basic);
            }
            single.put(e.getKey(), e.getValue().get(0));
        }
        return new Form(Map.copyOf(single), NimbusRequests.toNimbus(request, form, issuerBase), basic);
    }

    /** The error answer: 401 for {@code invalid_client} (with the Basic challenge when Basic was tried), else 400. */
    public static MutableHttpResponse<String> error(OAuthException e) {
        return error(e, e.basicAuthAttempted() ? BASIC_CHALLENGE : null);
    }

    /** The error answer with the given challenge on a 401 (e.g. the Bearer challenge of an internal endpoint). */
    public static MutableHttpResponse<String> error(OAuthException e, @Nullable String challenge) {
        ErrorObject error = e.error();
        int status = OAuth2Error.INVALID_CLIENT.getCode().equals(error.getCode()) ? 401 : 400;
        var response = NimbusRequests.fromNimbus(new TokenErrorResponse(error.setHTTPStatusCode(status)).toHTTPResponse());
        response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
        if (status == 401 && challenge != null && response.getHeaders().get(HttpHeaders.WWW_AUTHENTICATE) == null) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        return response;
    }
}
