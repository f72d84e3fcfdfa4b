package io.assistantstream.session.boundary;

import io.assistantstream.caller.boundary.CallerFilter;
import io.assistantstream.caller.control.CallerPolicy;
import io.assistantstream.caller.entity.Caller;
import io.assistantstream.session.control.SessionAccess;
import io.assistantstream.session.entity.SessionGrant;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Checks the session token (and, where callers are verified, that the caller owns the session) of every
 * {@link SessionGuarded} call. A watch-only token may read (GET) and nothing else.
 */
@Provider
@SessionGuarded
@Priority(Priorities.AUTHENTICATION)
public class SessionAccessFilter implements ContainerRequestFilter {

    /**
     * The request property that holds the {@link SessionGrant} once the session's access is checked. In a servlet
     * container a request property is a servlet request attribute, which is how resources read it: RESTEasy
     * (WildFly) serves no ContainerRequestContext to a resource method.
     */
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
        SessionGrant grant = access.check(sessionId, presentedToken(request),
                (Caller) request.getProperty(CallerFilter.CALLER));
        if (!HttpMethod.GET.equals(request.getMethod()) && !HttpMethod.HEAD.equals(request.getMethod())) {
            SessionAccess.requireOwnerRole(grant.role());
        }
        request.setProperty(CHECKED_SESSION, grant);
    }

    /** The grant this filter checked for the request. */
    public static SessionGrant checked(HttpServletRequest request) {
        return (SessionGrant) request.getAttribute(CHECKED_SESSION);
    }

    /**
     * The grant, no longer held by the request: a stream's request lives as long as the stream, and the session
     * entity would keep its persistence context (EclipseLink's unit of work and identity map) alive with it, for
     * every idle subscriber.
     */
    public static SessionGrant takeChecked(HttpServletRequest request) {
        SessionGrant grant = checked(request);
        request.removeAttribute(CHECKED_SESSION);
        return grant;
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
