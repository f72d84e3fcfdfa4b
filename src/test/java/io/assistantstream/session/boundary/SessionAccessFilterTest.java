package io.assistantstream.session.boundary;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.assistantstream.session.entity.ChatSession;
import io.assistantstream.session.entity.SessionGrant;
import io.assistantstream.session.entity.SessionKind;
import io.assistantstream.session.entity.SessionRole;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionAccessFilterTest {

    /** A request with attributes and nothing else. */
    private static HttpServletRequest requestWith(Map<String, Object> attributes) {
        return (HttpServletRequest) Proxy.newProxyInstance(SessionAccessFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "removeAttribute" -> attributes.remove((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aStreamTakesItsGrantOffTheRequestSoTheSessionEntityIsNotHeldForTheStreamsLife() {
        SessionGrant grant = new SessionGrant(new ChatSession("session-1", SessionKind.WORKFLOW, "t",
                OffsetDateTime.now(), "hash", "caller"), SessionRole.OWNER);
        Map<String, Object> attributes = new HashMap<>(Map.of(SessionAccessFilter.CHECKED_SESSION, grant));
        HttpServletRequest request = requestWith(attributes);

        assertSame(grant, SessionAccessFilter.takeChecked(request));
        assertNull(SessionAccessFilter.checked(request));
    }
}
