package io.assistantstream.stream.control;

import io.assistantstream.stream.entity.SequencedEvent;
import java.util.List;

/**
 * The most recent events of one session on this server, each held once, in id order: what every subscriber of
 * the session reads from its own position (Centrifugo's history, Mercure's log). It is complete after its
 * {@code floor}: every event with an id in {@code (floor, lastId]} is here. Appending past the capacity drops the
 * oldest event and raises the floor, so a subscriber whose position is below the floor has lost its place.
 *
 * <p>Ids increase but need not be consecutive (a session's ids come in reserved blocks), so positions are found
 * by id, never by counting. One writer appends; any number of readers copy batches out under the same short lock.
 * The ring grows as events come, up to the capacity: a session with a short history holds a short array.
 */
public final class EventWindow {

    private static final int INITIAL_SLOTS = 16;

    private final int capacity;
    private SequencedEvent[] ring;
    private int head;
    private int size;
    private long floor;
    private volatile long lastId;

    /** An empty window complete after {@code start}: the next event it takes has a later id. */
    public EventWindow(int capacity, long start) {
        this.capacity = capacity;
        this.ring = new SequencedEvent[Math.min(capacity, INITIAL_SLOTS)];
        this.floor = start;
        this.lastId = start;
    }

    /** Takes the session's next event (its id above every one held), dropping the oldest when full. */
    public synchronized void append(SequencedEvent event) {
        if (size == ring.length && size < capacity) {
            grow(size + 1);
        }
        if (size == ring.length) {
            floor = ring[head].id();
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
        }
        ring[(head + size) % ring.length] = event;
        size++;
        lastId = event.id();
    }

    /**
     * Takes events older than every one held: {@code older} in ascending order, complete after
     * {@code olderFloor} up to this window's floor. As many of the newest as there is room for are kept, and the
     * floor goes down to match (a backfill from a shared store for a client resuming further back).
     */
    public synchronized void prepend(List<SequencedEvent> older, long olderFloor) {
        if (olderFloor >= floor) {
            return;
        }
        int end = older.size();
        while (end > 0 && older.get(end - 1).id() > floor) {
            end--;
        }
        grow(Math.min(capacity, size + end));
        int start = Math.max(0, end - (ring.length - size));
        for (int i = end - 1; i >= start; i--) {
            head = (head - 1 + ring.length) % ring.length;
            ring[head] = older.get(i);
            size++;
        }
        floor = start == 0 ? olderFloor : older.get(start - 1).id();
    }

    /** Makes room for {@code slots} events (at most the capacity), keeping the held ones in order from index 0. */
    private void grow(int slots) {
        if (slots <= ring.length) {
            return;
        }
        SequencedEvent[] larger = new SequencedEvent[Math.min(capacity, Math.max(slots, ring.length * 2))];
        for (int i = 0; i < size; i++) {
            larger[i] = ring[(head + i) % ring.length];
        }
        ring = larger;
        head = 0;
    }

    /**
     * Copies into {@code into} up to {@code max} events after {@code position}, oldest first; false when events
     * after it have been dropped already (it is below the floor) and nothing was copied.
     */
    public synchronized boolean readAfter(long position, int max, List<SequencedEvent> into) {
        if (position < floor) {
            return false;
        }
        for (int i = firstAfter(position); i < size && max-- > 0; i++) {
            into.add(ring[(head + i) % ring.length]);
        }
        return true;
    }

    /** How many held events come after {@code position} (all of them when it is below the floor). */
    public synchronized int countAfter(long position) {
        return size - firstAfter(position);
    }

    /** The index of the first held event with an id above {@code position}: a binary search, ids increase. */
    private int firstAfter(long position) {
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (ring[(head + middle) % ring.length].id() <= position) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** The id of the latest event held or known, readable without the lock. */
    public long lastId() {
        return lastId;
    }

    /** The id every held event is above: a position at or above it loses nothing. */
    public synchronized long floor() {
        return floor;
    }

    /** The id of the oldest event held, or one past {@link #lastId()} when none is. */
    public synchronized long oldestId() {
        return size == 0 ? lastId + 1 : ring[head].id();
    }

    public synchronized int size() {
        return size;
    }
}
