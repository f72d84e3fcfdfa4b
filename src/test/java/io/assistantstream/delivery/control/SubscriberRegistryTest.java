package io.assistantstream.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.assistantstream.delivery.entity.Transport;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriberRegistryTest {

    private final LogSubscriberTest.ManualExecutor sender = new LogSubscriberTest.ManualExecutor();

    private LogSubscriberTest.Recording on(String sessionId) {
        return new LogSubscriberTest.Recording(sender) {
            @Override
            public String sessionId() {
                return sessionId;
            }
        };
    }

    @Test
    void eachBoundRefusesWithTheSubscribersThatFillIt() {
        SubscriberRegistry registry = new SubscriberRegistry(4, 2, held -> held < 3);
        LogSubscriber a1 = on("a");
        LogSubscriber a2 = on("a");
        assertNull(registry.tryAdd(a1, "ann"));
        assertNull(registry.tryAdd(a2, "ann"));
        SubscriberRegistry.Full session = registry.tryAdd(on("a"), "bob");
        assertEquals(SubscriberRegistry.Bound.SESSION, session.bound());
        assertEquals(Set.of(a1, a2), session.holders());

        LogSubscriber b1 = on("b");
        assertNull(registry.tryAdd(b1, "ann"));
        SubscriberRegistry.Full owner = registry.tryAdd(on("c"), "ann");
        assertEquals(SubscriberRegistry.Bound.OWNER, owner.bound(), "ann's quota is three");
        assertEquals(Set.of(a1, a2, b1), owner.holders());

        assertNull(registry.tryAdd(on("c"), "bob"));
        assertEquals(SubscriberRegistry.Bound.SERVER, registry.tryAdd(on("d"), "carl").bound());
    }

    @Test
    void aRemovedSubscriberFreesItsSlotInEveryCount() {
        SubscriberRegistry registry = new SubscriberRegistry(10, 1, held -> held < 1);
        LogSubscriber first = on("a");
        assertNull(registry.tryAdd(first, "ann"));
        registry.remove(first);
        registry.remove(first);
        assertEquals(0, registry.sessions());
        assertNull(registry.tryAdd(on("a"), "ann"), "the session's and the owner's slot are free again");
        assertEquals(1L, registry.countsByTransport().get(Transport.SSE));
    }
}
