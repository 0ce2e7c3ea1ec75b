package com.backlogmcp.auth.session;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReturnPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"//evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "/\n/evil.example",
            "/\r\n/evil.example", " //evil.example", "\u0000//evil.example", "https://evil.example", "javascript:alert(1)",
            "evil.example", "/%0d%0aSet-Cookie:x\r\n", "/\u3002evil", "/\u2028/evil.example", "/a\u007f", "http:/evil.example",
            "///evil.example", "/\\/evil.example", ""})
    void returnToWhenABrowserWouldLeaveThisHostThenDefault(String value) {
        assertEquals("/account/apps", LoginController.safeReturnTo(value), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/account/apps", "/oauth/authorize?response_type=code&client_id=cli_x&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcb",
            "/%2F%2Fevil.example", "/account/apps?x=[1]|{2}"})
    void returnToWhenPathOnThisHostThenKept(String value) {
        assertEquals(value, LoginController.safeReturnTo(value));
    }
}
