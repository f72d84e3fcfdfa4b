package io.assistantstream.session.boundary;

import io.assistantstream.platform.Json;
import io.assistantstream.session.control.SessionAccess;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/sessions/{id}/viewer-token}: a watch-only token for sharing the session, for its owner only.
 * Each call replaces the last token, so asking again is how an owner revokes the links shared before.
 */
@Path("sessions/{id}/viewer-token")
@SessionGuarded
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ViewerTokenResource {

    @Inject
    SessionAccess access;

    @POST
    public Response issue(@PathParam("id") String sessionId) {
        return Response.status(Response.Status.CREATED)
                .entity(Json.write(Json.object().put("viewer_token", access.issueViewerToken(sessionId))))
                .build();
    }
}
