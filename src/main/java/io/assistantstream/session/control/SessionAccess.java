package io.assistantstream.session.control;

import io.assistantstream.session.entity.ChatSession;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A session's token is its capability: 32 random bytes handed out once at creation, stored only as a SHA-256
 * hash, compared in constant time, and never logged. A token opens its own session and no other.
 */
@ApplicationScoped
public class SessionAccess {

    private static final int TOKEN_BYTES = 32;
    private final SecureRandom random = new SecureRandom();

    @Inject
    SessionStore sessions;

    /** A new token (URL-safe base64, 43 characters). */
    public String issueToken() {
        byte[] token = new byte[TOKEN_BYTES];
        random.nextBytes(token);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    public static String hash(String token) {
        return Sha256.hex(token);
    }

    /** Lets the call through, or says why not: 404 unknown session, 401 no token, 403 a wrong one. */
    public void check(String sessionId, String presentedToken) {
        ChatSession session = sessions.find(sessionId)
                .orElseThrow(() -> ProblemException.notFound("No session with id " + sessionId));
        if (presentedToken == null || presentedToken.isBlank()) {
            throw new ProblemException(401, "Unauthorized", "This session needs its token: send "
                    + "'Authorization: Bearer TOKEN', or the access_token query parameter where headers cannot be set");
        }
        byte[] expected = session.getTokenHash().getBytes(StandardCharsets.US_ASCII);
        byte[] presented = hash(presentedToken.strip()).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, presented)) {
            throw new ProblemException(403, "Forbidden", "The token does not open this session");
        }
    }
}
