package io.assistantstream.caller.control;

import io.assistantstream.caller.entity.Caller;
import io.assistantstream.platform.AuthSettings;
import io.assistantstream.platform.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Who may create sessions and act as their owner. In jwt mode, the caller is the subject of a verified JWT
 * ({@code CallerFilter}, or the WebSocket's own check); in open mode, the client's address, and a session's
 * token alone opens it, as before callers were known.
 */
@ApplicationScoped
public class CallerPolicy {

    private static final Logger LOG = Logger.getLogger(CallerPolicy.class.getName());
    private static final String KEYS_TO_SET = "set auth.jwt.issuer, auth.jwt.audience and auth.jwt.public-key "
            + "(or auth.jwt.jwks-url)";
    private static final String HOW_TO_CONFIGURE = KEYS_TO_SET + ", or auth.mode=open for a demo";

    @Inject
    AuthSettings auth;

    void report(@Observes @Initialized(ApplicationScoped.class) Object start) {
        if (auth.open()) {
            LOG.warning("auth.mode=open: ANYONE WHO CAN REACH THIS SERVER MAY CREATE SESSIONS AND SPEND THE AI "
                    + "SERVICE'S BUDGET (quotas count by client address). For a real deployment, " + KEYS_TO_SET);
        } else if (!auth.verifiesCallers()) {
            LOG.severe("No caller can be verified, so every session creation is refused (503): "
                    + HOW_TO_CONFIGURE);
        } else {
            LOG.info("Callers are verified: JWTs from " + auth.issuer().orElseThrow() + " for "
                    + auth.audience().orElseThrow() + ", keys from "
                    + (auth.publicKey().isPresent() ? "auth.jwt.public-key" : auth.jwksUrl().orElseThrow()));
        }
    }

    /** Whether a session's token is enough to open it (open mode), or its owner must be the caller too. */
    public boolean checksOwners() {
        return !auth.open();
    }

    /**
     * The caller of a request: its verified caller (null for none), or in open mode the client's address.
     *
     * @throws ProblemException 401 with no caller, 503 when callers cannot be verified for want of settings
     */
    public Caller caller(Caller verified, String clientAddress) {
        if (auth.open()) {
            return Caller.address(clientAddress);
        }
        if (!auth.verifiesCallers()) {
            throw ProblemException.unavailable("This server cannot verify callers yet: its operator must "
                    + HOW_TO_CONFIGURE, 0);
        }
        if (verified == null) {
            throw ProblemException.unauthorized("This call needs the caller's JWT: send 'Authorization: Bearer JWT' "
                    + "(or the authorization query parameter where headers cannot be set)");
        }
        return verified;
    }

    /**
     * Lets the owner through (any caller in open mode).
     *
     * @throws ProblemException 401 with no caller, 403 for a caller that does not own the session
     */
    public void requireOwner(String owner, Caller verified) {
        if (checksOwners() && !caller(verified, null).id().equals(owner)) {
            throw ProblemException.forbidden("This session belongs to another caller");
        }
    }
}
