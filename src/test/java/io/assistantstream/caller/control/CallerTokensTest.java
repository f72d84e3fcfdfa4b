package io.assistantstream.caller.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.AuthSettings;
import io.assistantstream.platform.Settings;
import java.time.Duration;
import io.assistantstream.testing.TestIssuer;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallerTokensTest {

    private final TestIssuer issuer = new TestIssuer();
    private final CallerTokens tokens = new CallerTokens();

    CallerTokensTest() throws Exception {
        tokens.auth = new AuthSettings(AuthSettings.Mode.JWT, Optional.of(TestIssuer.ISSUER),
                Optional.of(TestIssuer.AUDIENCE), Settings.publicKey(issuer.publicKeyPem()), Optional.empty(),
                Duration.ofSeconds(30), 4096);
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
