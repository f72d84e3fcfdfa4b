package io.assistantstream.session.control;

import io.assistantstream.caller.control.CallerPolicy;
import io.assistantstream.caller.entity.Caller;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.Sha256;
import io.assistantstream.session.entity.ChatSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A session's token is its capability: 32 random bytes handed out once at creation, stored only as a SHA-256
 * hash, compared in constant time, and never logged. A token opens its own session and no other; where callers
 * are verified, only in the hands of the caller that owns the session.
 */
@ApplicationScoped
public class SessionAccess {

    private static final int TOKEN_BYTES = 32;
    private final SecureRandom random = new SecureRandom();

    @Inject
    SessionStore sessions;

    @Inject
    CallerPolicy callers;

    /** A new token (URL-safe base64, 43 characters). */
    public String issueToken() {
        byte[] token = new byte[TOKEN_BYTES];
        random.nextBytes(token);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    public static String hash(String token) {
        return Sha256.hex(token);
    }

    /**
     * The session, if the token opens it and the caller owns it; else why not: 404 unknown session, 401 no token
     * (or no caller), 403 a wrong token (or another caller's session).
     */
    public ChatSession check(String sessionId, String presentedToken, Caller caller) {
        ChatSession session = sessions.find(sessionId)
                .orElseThrow(() -> ProblemException.notFound("No session with id " + sessionId));
        if (presentedToken == null || presentedToken.isBlank()) {
            throw ProblemException.unauthorized("This session needs its token: send 'X-Session-Token: TOKEN' "
                    + (callers.checksOwners() ? "" : "(or 'Authorization: Bearer TOKEN') ")
                    + "or the access_token query parameter where headers cannot be set");
        }
        byte[] expected = session.getTokenHash().getBytes(StandardCharsets.US_ASCII);
        byte[] presented = hash(presentedToken.strip()).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, presented)) {
            throw ProblemException.forbidden("The token does not open this session");
        }
        callers.requireOwner(session.getOwner(), caller);
        return session;
    }
}
