package io.assistantstream.chat.boundary;

import io.assistantstream.caller.boundary.CallerFilter;
import io.assistantstream.caller.control.CallerPolicy;
import io.assistantstream.caller.entity.Caller;
import io.assistantstream.chat.control.ChatService;
import io.assistantstream.chat.control.SessionCatalog;
import io.assistantstream.chat.control.UpstreamLocator;
import io.assistantstream.chat.entity.SessionView;
import io.assistantstream.platform.Json;
import io.assistantstream.platform.JsonBodies;
import io.assistantstream.platform.ApiSettings;
import io.assistantstream.session.boundary.SessionAccessFilter;
import io.assistantstream.session.boundary.SessionGuarded;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.Map;

/** Sessions and their messages (api.md, "Sessions and messages"). */
@Path("sessions")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SessionsResource {

    @Inject
    SessionCatalog catalog;

    @Inject
    ChatService chat;

    @Inject
    ApiSettings settings;

    @Inject
    UpstreamLocator upstream;

    @Inject
    CallerPolicy callers;

    @Context
    UriInfo uriInfo;

    @Context
    HttpServletRequest request;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        Caller caller = callers.caller((Caller) request.getAttribute(CallerFilter.CALLER), request.getRemoteAddr());
        SessionView.Created created = catalog.createSession(JsonBodies.readObject(body, settings.maxBodyBytes()), caller);
        return Response.created(uriInfo.getAbsolutePathBuilder().path(created.id()).build())
                .entity(Json.write(created))
                .build();
    }

    /** The caller's own sessions, newest first. */
    @GET
    public String list() {
        Caller caller = callers.caller((Caller) request.getAttribute(CallerFilter.CALLER), request.getRemoteAddr());
        return Json.write(Map.of("sessions", catalog.sessionsOf(caller)));
    }

    @GET
    @Path("{id}")
    @SessionGuarded
    public String session(@PathParam("id") String id) {
        return Json.write(catalog.view(id, SessionAccessFilter.checked(request).role()));
    }

    @POST
    @Path("{id}/messages")
    @SessionGuarded
    @Consumes(MediaType.APPLICATION_JSON)
    public Response ask(@PathParam("id") String id, InputStream body) {
        upstream.learnSelf(request.getLocalPort(), request.getContextPath());
        SessionView.Posted posted = chat.ask(id, JsonBodies.readObject(body, settings.maxBodyBytes()));
        return Response.accepted(Json.write(posted)).build();
    }

    @POST
    @Path("{id}/messages/{messageId}/cancel")
    @SessionGuarded
    public Response cancel(@PathParam("id") String id, @PathParam("messageId") String messageId) {
        chat.cancel(id, messageId);
        return Response.accepted(Json.write(Json.object().put("message_id", messageId).put("status", "cancelling")))
                .build();
    }
}
