package io.assistantstream.delivery.boundary;

import io.assistantstream.session.boundary.SessionAccessFilter;
import io.assistantstream.session.boundary.SessionGuarded;
import io.assistantstream.delivery.control.SseSubscriber;
import io.assistantstream.delivery.control.Subscriptions;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.OptionalLong;

/** {@code GET /api/sessions/{id}/events}: the session's event stream over SSE, resumable by Last-Event-ID. */
@Path("sessions/{id}/events")
@SessionGuarded
@RequestScoped
public class SessionEventsResource {

    @Inject
    Subscriptions subscriptions;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(@PathParam("id") String sessionId,
                          @HeaderParam(HttpHeaders.LAST_EVENT_ID_HEADER) String lastEventIdHeader,
                          @QueryParam("last_event_id") String lastEventIdParam,
                          @Context HttpServletRequest request, @Context HttpServletResponse response) {
        String quotaHolder = SessionAccessFilter.takeChecked(request).session().quotaHolder();
        OptionalLong lastSeen = LastEventIds.parse(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);
        SseSubscriber subscriber = subscriptions.sseSubscriber(sessionId, request, response);
        subscriptions.register(subscriber, quotaHolder);
        // Attached before the first byte goes out: a client that sees its stream begin gets every later event.
        subscriptions.attach(subscriber, lastSeen);
        try {
            subscriber.start();
        } catch (IOException | IllegalStateException e) {
            subscriber.close(null, null); // the client left before its stream began
        }
    }
}
