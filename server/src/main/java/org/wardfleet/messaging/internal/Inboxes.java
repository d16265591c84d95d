package org.wardfleet.messaging.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;
import org.wardfleet.messaging.Priority;
import org.wardfleet.platform.web.ProblemType;

import reactor.core.publisher.Mono;

/**
 * A person's inbox: their conversations (pages and broadcasts are conversations too), each with its unread count and
 * whether it waits for their answer; what waits for an answer comes first, STAT before URGENT before ROUTINE, then
 * everything newest first. Paged by an opaque cursor ({@code after}: where the previous page ended), so a new message
 * arriving between two pages does not shift or repeat items.
 */
@Component
class Inboxes {

    /** The newest conversations an inbox looks at; older ones are reached through search, not the inbox. */
    static final int CONVERSATIONS = 500;
    static final int MAX_SIZE = 100;
    private static final int SHOWN_NAMES = 3;

    private final MessageStore store;
    private final ConversationLists lists;

    Inboxes(MessageStore store, ConversationLists lists) {
        this.store = store;
        this.lists = lists;
    }

    /**
     * @param kind {@code page} (needs acknowledgement), {@code broadcast} (a drill, or choices offered to more than
     *     one person) or {@code conversation}
     * @param awaitingMe a message in it needs this person's acknowledgement and they have not answered
     * @param openMessageId the message awaiting them (the newest such), else null
     */
    record Item(String conversationId, String kind, String title, Map<String, String> names, int participantCount,
            String lastMessageId, String lastSenderId, Instant lastAt, String priority, int unread,
            boolean awaitingMe, String openMessageId, boolean drill, List<String> choices, String cursor) {
    }

    record Page(List<Item> items, String next) {
    }

    Mono<Page> of(String orgId, String userId, String after, int size) {
        Key from = after == null || after.isBlank() ? null : Key.parse(after);
        int limit = Math.max(1, Math.min(size, MAX_SIZE));
        return lists.of(orgId, userId, 0, CONVERSATIONS).collectList()
                .flatMap(conversations -> store.headers(orgId, conversations.stream()
                                .map(Conversation::id).toList(), userId)
                        .collectMultimap(Message::conversationId)
                        .flatMap(byConversation -> named(orgId, userId, conversations, byConversation)))
                .map(items -> page(items, from, limit));
    }

    private Mono<List<Item>> named(String orgId, String userId, List<Conversation> conversations,
            Map<String, java.util.Collection<Message>> byConversation) {
        Set<String> people = new LinkedHashSet<>();
        conversations.forEach(c -> {
            people.add(c.createdBy());
            c.participants().stream().filter(p -> !p.equals(userId)).limit(SHOWN_NAMES).forEach(people::add);
        });
        byConversation.values().forEach(ms -> ms.forEach(m -> people.add(m.senderId())));
        return lists.displayNames(orgId, people).map(names -> conversations.stream()
                .map(c -> item(userId, c, List.copyOf(byConversation.getOrDefault(c.id(), List.of())), names))
                .toList());
    }

    private static Item item(String userId, Conversation c, List<Message> messages,
            Map<String, String> names) {
        List<Message> visible = messages.stream()
                .filter(m -> m.recalledAt() == null || m.senderId().equals(userId))
                .sorted(Comparator.comparing(Message::sentAt).thenComparing(Message::id))
                .toList();
        Message last = visible.isEmpty() ? null : visible.get(visible.size() - 1);
        int unread = 0;
        Message open = null;
        for (Message m : visible) {
            Addressee me = m.recipients().get(userId);
            if (me == null || m.recalledAt() != null) {
                continue;
            }
            if (me.state().unread()) {
                unread++;
            }
            if (m.requiresAck() && !me.state().answered()
                    && (open == null || rank(m.priority()) >= rank(open.priority()))) {
                open = m;
            }
        }
        Message shown = open != null ? open : last;
        boolean broadcast = shown != null && (shown.drill() || !shown.choices().isEmpty() && c.participants().size() > 2);
        String kind = broadcast ? "broadcast" : shown != null && shown.requiresAck() ? "page" : "conversation";
        Map<String, String> these = new HashMap<>();
        List<String> others = c.participants().stream().filter(p -> !p.equals(userId)).limit(SHOWN_NAMES).toList();
        others.forEach(p -> these.put(p, names.getOrDefault(p, "Unknown person")));
        if (last != null) {
            these.put(last.senderId(), names.getOrDefault(last.senderId(), "Unknown person"));
        }
        Instant lastAt = last != null ? last.sentAt() : c.createdAt();
        String priority = (shown != null && shown.priority() != null ? shown.priority() : Priority.ROUTINE).name();
        Key key = new Key(open != null ? rank(open.priority()) + 1 : 0, lastAt.toEpochMilli(), c.id());
        return new Item(c.id(), kind, title(userId, c, kind, others, names), these, c.participants().size(),
                last == null ? null : last.id(), last == null ? null : last.senderId(), lastAt, priority, unread,
                open != null, open == null ? null : open.id(), shown != null && shown.drill(),
                shown == null ? List.of() : shown.choices(), key.toString());
    }

    private static String title(String userId, Conversation c, String kind, List<String> others,
            Map<String, String> names) {
        String from = names.getOrDefault(c.createdBy(), "Unknown person");
        if ("broadcast".equals(kind) && !c.createdBy().equals(userId)) {
            return "Broadcast from " + from;
        }
        String people = others.isEmpty() ? "Only you"
                : others.stream().map(p -> names.getOrDefault(p, "Unknown person")).collect(Collectors.joining(", "));
        int more = c.participants().size() - 1 - others.size();
        return more > 0 ? people + " and " + more + " more" : people;
    }

    private static Page page(List<Item> items, Key from, int limit) {
        Map<String, Key> keys = items.stream().collect(Collectors.toMap(Item::conversationId,
                i -> Key.parse(i.cursor()), (a, b) -> a));
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing((Item i) -> keys.get(i.conversationId()), Key.ORDER));
        List<Item> after = from == null ? sorted
                : sorted.stream().filter(i -> Key.ORDER.compare(keys.get(i.conversationId()), from) > 0).toList();
        List<Item> shown = after.subList(0, Math.min(limit, after.size()));
        String next = after.size() > limit ? shown.get(shown.size() - 1).cursor() : null;
        return new Page(List.copyOf(shown), next);
    }

    static int rank(Priority priority) {
        return priority == null ? 0 : priority.rank();
    }

    /** Where an item sorts: awaiting an answer (by priority) first, then newest, then by id. */
    record Key(int urgency, long at, String id) {

        static final Comparator<Key> ORDER = Comparator.comparingInt(Key::urgency).reversed()
                .thenComparing(Comparator.comparingLong(Key::at).reversed())
                .thenComparing(Key::id);

        static Key parse(String cursor) {
            String[] parts = cursor.split("\\.", 3);
            try {
                if (parts.length != 3 || parts[2].isEmpty() || parts[2].length() > 64) {
                    throw new NumberFormatException();
                }
                return new Key(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), parts[2]);
            } catch (NumberFormatException e) {
                throw ProblemType.VALIDATION_FAILED.exception("after: not a cursor this inbox gave out");
            }
        }

        @Override
        public String toString() {
            return urgency + "." + at + "." + id;
        }
    }
}
