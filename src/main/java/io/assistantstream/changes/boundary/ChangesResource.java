package io.assistantstream.changes.boundary;

import io.assistantstream.changes.control.ChangeService;
import io.assistantstream.session.boundary.SessionGuarded;
import io.assistantstream.platform.Json;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Accepting or rejecting a proposed job-code change (api.md), and undoing an applied or accepted change
 * (contract-extensions.md); each is idempotent.
 */
@Path("sessions/{id}/changes/{changeId}")
@SessionGuarded
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ChangesResource {

    @Inject
    ChangeService changes;

    @POST
    @Path("accept")
    public String accept(@PathParam("id") String sessionId, @PathParam("changeId") String changeId) {
        return Json.write(changes.decide(sessionId, changeId, true));
    }

    @POST
    @Path("reject")
    public String reject(@PathParam("id") String sessionId, @PathParam("changeId") String changeId) {
        return Json.write(changes.decide(sessionId, changeId, false));
    }

    @POST
    @Path("revert")
    public String revert(@PathParam("id") String sessionId, @PathParam("changeId") String changeId) {
        return Json.write(changes.revert(sessionId, changeId));
    }
}
