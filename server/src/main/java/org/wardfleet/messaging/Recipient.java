package org.wardfleet.messaging;

/**
 * Whom a page, an escalation step or a broadcast goes to: one person, whoever covers an on-call role, the members of
 * a named group, or (broadcasts only) everyone in the organisation. As JSON and in storage it is a {@code type} word
 * ({@link #type()}: user, role, group, all) and an id.
 */
public sealed interface Recipient {

    /** The word JSON and storage use for the kind of recipient. */
    String type();

    /** The id it names (null for {@link Everyone}). */
    String id();

    record User(String id) implements Recipient {
        public String type() {
            return "user";
        }
    }

    /** An on-call role: whoever covers it when the page or step fires. */
    record OnCallRole(String id) implements Recipient {
        public String type() {
            return "role";
        }
    }

    /** A named group of people (messaging's lists; escalation targets them as {@code groupId}). */
    record Group(String id) implements Recipient {
        public String type() {
            return "group";
        }
    }

    /** Everyone in the organisation (a broadcast's audience). */
    record Everyone() implements Recipient {
        public String type() {
            return "all";
        }

        public String id() {
            return null;
        }
    }

    /** The recipient a stored {@code type}/{@code id} pair names; an unknown type is a person, as it always was. */
    static Recipient of(String type, String id) {
        if (type == null) {
            return new User(id);
        }
        switch (type) {
            case "role":
                return new OnCallRole(id);
            case "group":
                return new Group(id);
            case "all":
                return new Everyone();
            default:
                return new User(id);
        }
    }
}
