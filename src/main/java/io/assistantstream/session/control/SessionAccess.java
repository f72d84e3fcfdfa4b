package io.assistantstream.session.control;

import io.assistantstream.caller.control.CallerPolicy;
import io.assistantstream.caller.entity.Caller;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.Sha256;
import io.assistantstream.session.entity.ChatSession;
import io.assistantstream.session.entity.SessionGrant;
import io.assistantstream.session.entity.SessionRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A session's token is its capability: 32 random bytes handed out once at creation, stored only as a SHA-256
 * hash, compared in constant time, and never logged. A token opens its own session and no other; where callers
 * are verified, the owner's token only in the hands of the caller that owns the session. A watch-only token,
 * issued on the owner's request, opens the session for reading by anyone who holds it.
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
     * The session and the role the token gives, if the token opens it: the owner's token (whose caller, where
     * callers are verified, must own the session) or the current watch-only token (anyone holding the link may
     * watch). Else why not: 404 unknown session, 401 no token (or no caller), 403 a wrong token (or another
     * caller's session).
     */
    public SessionGrant check(String sessionId, String presentedToken, Caller caller) {
        ChatSession session = sessions.find(sessionId)
                .orElseThrow(() -> ProblemException.notFound("No session with id " + sessionId));
        if (presentedToken == null || presentedToken.isBlank()) {
            throw ProblemException.unauthorized("This session needs its token: send 'X-Session-Token: TOKEN' "
                    + (callers.checksOwners() ? "" : "(or 'Authorization: Bearer TOKEN') ")
                    + "or the access_token query parameter where headers cannot be set");
        }
        String presented = hash(presentedToken.strip());
        if (matches(session.getTokenHash(), presented)) {
            callers.requireOwner(session.getOwner(), caller);
            return new SessionGrant(session, SessionRole.OWNER);
        }
        if (session.getViewerTokenHash() != null && matches(session.getViewerTokenHash(), presented)) {
            return new SessionGrant(session, SessionRole.VIEWER);
        }
        throw ProblemException.forbidden("The token does not open this session");
    }

    /** Refuses a watch-only token what only the owner may do. */
    public static void requireOwnerRole(SessionRole role) {
        if (role != SessionRole.OWNER) {
            throw ProblemException.forbidden("This is a watch-only link: it can read and follow the session, but "
                    + "asking, cancelling, accepting, rejecting and undoing need the owner's token");
        }
    }

    /** A new watch-only token for the session; the one before stops opening it. */
    public String issueViewerToken(String sessionId) {
        String token = issueToken();
        sessions.replaceViewerToken(sessionId, hash(token));
        return token;
    }

    private static boolean matches(String expectedHash, String presentedHash) {
        return MessageDigest.isEqual(expectedHash.getBytes(StandardCharsets.US_ASCII),
                presentedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
