package io.assistantstream.session.boundary;

import io.assistantstream.session.control.SessionAccess;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/** Checks the session token of every {@link SessionGuarded} call, from the header or the query parameter. */
@Provider
@SessionGuarded
@Priority(Priorities.AUTHENTICATION)
public class SessionAccessFilter implements ContainerRequestFilter {

    @Inject
    SessionAccess access;

    @Override
    public void filter(ContainerRequestContext request) {
        String sessionId = request.getUriInfo().getPathParameters().getFirst("id");
        access.check(sessionId, presentedToken(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                request.getUriInfo().getQueryParameters().getFirst("access_token")));
    }

    /** The bearer token of an Authorization header, else the access_token parameter. */
    public static String presentedToken(String authorization, String queryParameter) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7);
        }
        return queryParameter;
    }
}
