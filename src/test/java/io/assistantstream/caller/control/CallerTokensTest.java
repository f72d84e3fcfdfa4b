package io.assistantstream.caller.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.Settings;
import io.assistantstream.testing.TestIssuer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallerTokensTest {

    private final TestIssuer issuer = new TestIssuer();
    private final CallerTokens tokens = new CallerTokens();

    CallerTokensTest() throws Exception {
        java.util.List<String> settings = new java.util.ArrayList<>(java.util.List.of("auth.jwt.max-token-bytes=4096"));
        issuer.settings().forEach((key, value) -> settings.add(key + "=" + value));
        tokens.auth = Settings.of(settings.toArray(String[]::new)).auth();
        tokens.start();
    }

    @Test
    void aTokenFromTheIssuerNamesItsSubject() {
        assertEquals("ada", tokens.verify(issuer.token("ada")).id());
    }

    @Test
    void everyBadTokenIsRefusedWith401SayingWhyWithoutEchoingIt() {
        issuer.badTokens().forEach((what, token) -> {
            ProblemException refused = assertThrows(ProblemException.class, () -> tokens.verify(token), what);
            assertEquals(401, refused.status(), what);
            assertTrue(refused.getMessage().startsWith("The caller's token is refused: "), what + ": " + refused.getMessage());
            assertTrue(!refused.getMessage().contains(token), what + " is echoed");
            System.out.println(what + " -> 401 " + refused.getMessage());
        });
    }

    @Test
    void theReasonsTellTheCasesApart() {
        Map<String, String> bad = issuer.badTokens();
        assertTrue(reason(bad.get("expired")).contains("expired"), reason(bad.get("expired")));
        assertTrue(reason(bad.get("oversized")).contains("longer than 4096 bytes"));
        assertTrue(reason(bad.get("malformed")).contains("not a JWT"));
        assertTrue(reason(bad.get("wrong audience")).toLowerCase().contains("aud"), reason(bad.get("wrong audience")));
        assertTrue(reason(bad.get("wrong issuer")).toLowerCase().contains("iss"), reason(bad.get("wrong issuer")));
    }

    private String reason(String token) {
        return assertThrows(ProblemException.class, () -> tokens.verify(token)).getMessage();
    }
}
