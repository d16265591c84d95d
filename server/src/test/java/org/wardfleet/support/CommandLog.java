package org.wardfleet.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;

/**
 * The database commands the application sends, recorded by the driver (a {@link CommandListener} bean is added to
 * the application's client): a deterministic cost of a request, unlike its time on a shared machine. Change-stream
 * polls and cursor ends are left out.
 */
public final class CommandLog implements CommandListener {

    /** One command: its name, the collection it names, its body (as JSON, for asserting on filters). */
    public record Command(String name, String collection, String body) {
        @Override
        public String toString() {
            return name + " " + collection + " " + (body.length() > 160 ? body.substring(0, 160) + "…" : body);
        }
    }

    private static final Set<String> IGNORED = Set.of("getMore", "killCursors", "endSessions", "hello", "isMaster",
            "ismaster", "ping", "buildInfo", "saslStart", "saslContinue");

    private volatile ConcurrentLinkedQueue<Command> recording;
    private volatile String naming;

    @Override
    public void commandStarted(CommandStartedEvent event) {
        ConcurrentLinkedQueue<Command> into = recording;
        if (into == null || IGNORED.contains(event.getCommandName())) {
            return;
        }
        org.bson.BsonValue target = event.getCommand().get(event.getCommandName());
        String collection = target != null && target.isString() ? target.asString().getValue() : "";
        String body = event.getCommand().toJson();
        if (body.contains("$changeStream") || !body.contains(naming)) {
            return;
        }
        into.add(new Command(event.getCommandName(), collection, body));
    }

    /**
     * The commands naming {@code text} (e.g. an organisation's id: the background jobs' queries over every
     * organisation are left out) sent while {@code action} ran (it waits for what it needs).
     */
    public synchronized List<Command> during(String text, Runnable action) {
        naming = text;
        recording = new ConcurrentLinkedQueue<>();
        try {
            action.run();
            return new ArrayList<>(recording);
        } finally {
            recording = null;
        }
    }
}
