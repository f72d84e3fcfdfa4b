package io.assistantstream.session.boundary;

import io.assistantstream.caller.boundary.CallerFilter;
import io.assistantstream.caller.control.CallerPolicy;
import io.assistantstream.caller.entity.Caller;
import io.assistantstream.session.control.SessionAccess;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Checks the session token (and, where callers are verified, that the caller owns the session) of every
 * {@link SessionGuarded} call.
 */
@Provider
@SessionGuarded
@Priority(Priorities.AUTHENTICATION)
public class SessionAccessFilter implements ContainerRequestFilter {

    /** The request property that holds the session once its access is checked. */
    public static final String CHECKED_SESSION = "io.assistantstream.session";

    /** The header a session's token travels in. */
    public static final String SESSION_TOKEN = "X-Session-Token";

    @Inject
    SessionAccess access;

    @Inject
    CallerPolicy callers;

    @Override
    public void filter(ContainerRequestContext request) {
        String sessionId = request.getUriInfo().getPathParameters().getFirst("id");
        request.setProperty(CHECKED_SESSION,
                access.check(sessionId, presentedToken(request), (Caller) request.getProperty(CallerFilter.CALLER)));
    }

    /**
     * The X-Session-Token header, else the access_token parameter; in open mode also the bearer token of the
     * Authorization header, which callers' JWTs take where they are verified.
     */
    private String presentedToken(ContainerRequestContext request) {
        String header = request.getHeaderString(SESSION_TOKEN);
        if (header != null) {
            return header;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (!callers.checksOwners() && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7);
        }
        return request.getUriInfo().getQueryParameters().getFirst("access_token");
    }
}
